module pullpath/tools/proxy-oracle

go 1.19
