# fish completion for nettopo(1): the candidates come from `nettopo __complete` (see nettopo.bash).
# Installed as /usr/share/fish/vendor_completions.d/nettopo.fish.

function __nettopo_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    # Under sudo the line starts with sudo: begin at nettopo itself.
    while test (count $tokens) -gt 0; and not string match -q -- '*nettopo' $tokens[1]
        set -e tokens[1]
    end
    set -l program nettopo
    test (count $tokens) -gt 0; and set program $tokens[1]
    for line in (command $program __complete $tokens[2..-1] $current 2>/dev/null)
        if test "$line" = :files
            __fish_complete_path $current
        else
            echo $line
        end
    end
end

complete -c nettopo -f -a '(__nettopo_complete)'
