namespace nettopo::netlink {}
