//! What sadf's graphs (`-g`) draw for each activity (`svg_stats.c`), in
//! sysstat's terms: views (a title, lines or stacked bars) of series, each
//! naming the registry columns (by sadf `-p` name) it may come from. The
//! registry's entry of an activity points at its views. Series whose
//! column the report does not have are left out (so `-u` shows `%user`…,
//! `-u ALL` `%usr`…; `-r` five memory views, `-r ALL` six).

use sarkit_render::Kind;

/// One metric of a view: legend text, the report columns it may come from
/// (`|`-separated, first found wins), a divisor (kB to MB) and whether
/// sadf prints its extrema without decimals.
pub struct SeriesSpec {
    pub name: &'static str,
    pub cols: &'static str,
    pub div: f64,
    pub int: bool,
}

/// One kind of view of an activity.
pub struct View {
    pub title: &'static str,
    pub kind: Kind,
    pub series: &'static [SeriesSpec],
}

/// The views of one activity, per output (mask 0: the whole report).
pub struct ActivityViews {
    pub desc: &'static str,
    pub outputs: &'static [(u32, &'static [View])],
}

pub const fn c(name: &'static str) -> SeriesSpec {
    SeriesSpec { name, cols: name, div: 1.0, int: false }
}
pub const fn i(name: &'static str) -> SeriesSpec {
    SeriesSpec { name, cols: name, div: 1.0, int: true }
}
pub const fn mb(name: &'static str, cols: &'static str) -> SeriesSpec {
    SeriesSpec { name, cols, div: 1024.0, int: false }
}
pub const fn line(title: &'static str, series: &'static [SeriesSpec]) -> View {
    View { title, kind: Kind::Line, series }
}
pub const fn bar(title: &'static str, series: &'static [SeriesSpec]) -> View {
    View { title, kind: Kind::Stacked, series }
}

pub const A_CPU: ActivityViews = ActivityViews {
    desc: "CPU utilization",
    outputs: &[(
        0,
        &[bar(
            "CPU utilization",
            &[
                c("%user"),
                c("%usr"),
                c("%nice"),
                c("%system"),
                c("%sys"),
                c("%iowait"),
                c("%steal"),
                c("%irq"),
                c("%soft"),
                c("%guest"),
                c("%gnice"),
                c("%idle"),
            ],
        )],
    )],
};

pub const A_PCSW: ActivityViews = ActivityViews {
    desc: "Task creation and switching activity",
    outputs: &[(0, &[line("Task creation", &[c("proc/s")]), line("Switching activity", &[c("cswch/s")])])],
};

pub const A_SWAP: ActivityViews = ActivityViews {
    desc: "Swap activity",
    outputs: &[(0, &[line("Swap activity", &[c("pswpin/s"), c("pswpout/s")])])],
};

pub const A_PAGE: ActivityViews = ActivityViews {
    desc: "Paging activity",
    outputs: &[(
        0,
        &[
            line("Paging activity (1)", &[c("pgpgin/s"), c("pgpgout/s")]),
            line("Paging activity (2)", &[c("fault/s"), c("majflt/s")]),
            line("Paging activity (3)", &[c("pgfree/s"), c("pgscank/s"), c("pgscand/s"), c("pgsteal/s")]),
            line("Paging activity (4)", &[c("pgprom/s"), c("pgdem/s")]),
        ],
    )],
};

pub const A_IO: ActivityViews = ActivityViews {
    desc: "I/O and transfer rate statistics",
    outputs: &[(
        0,
        &[
            line("I/O and transfer rate statistics (1)", &[c("tps"), c("rtps"), c("wtps"), c("dtps")]),
            line("I/O and transfer rate statistics (2)", &[c("bread/s"), c("bwrtn/s"), c("bdscd/s")]),
        ],
    )],
};

pub const A_MEMORY: ActivityViews = ActivityViews {
    desc: "Memory and/or swap utilization",
    outputs: &[
        (
            1,
            &[
                line(
                    "Memory utilization (1)",
                    &[mb("MBmemfree", "kbmemfree"), mb("MBavail", "kbavail"), mb("MBmemused", "kbmemused")],
                ),
                bar("Memory utilization (2)", &[c("%memused")]),
                line(
                    "Memory utilization (3)",
                    &[
                        mb("MBbuffers", "kbbuffers"),
                        mb("MBcached", "kbcached"),
                        mb("MBshared", "kbshared"),
                        mb("MBcommit", "kbcommit"),
                    ],
                ),
                bar("Memory utilization (4)", &[c("%commit")]),
                line(
                    "Memory utilization (5)",
                    &[mb("MBactive", "kbactive"), mb("MBinact", "kbinact"), mb("MBdirty", "kbdirty")],
                ),
                line(
                    "Memory utilization (6)",
                    &[
                        mb("MBanonpg", "kbanonpg"),
                        mb("MBslab", "kbslab"),
                        mb("MBkstack", "kbkstack"),
                        mb("MBpgtbl", "kbpgtbl"),
                        mb("MBvmused", "kbvmused"),
                    ],
                ),
            ],
        ),
        (
            2,
            &[
                line(
                    "Swap utilization (1)",
                    &[mb("MBswpfree", "kbswpfree"), mb("MBswpused", "kbswpused"), mb("MBswpcad", "kbswpcad")],
                ),
                bar("Swap utilization (2)", &[c("%swpused")]),
                bar("Swap utilization (3)", &[c("%swpcad")]),
            ],
        ),
    ],
};

pub const A_KTABLES: ActivityViews = ActivityViews {
    desc: "Kernel tables statistics",
    outputs: &[(
        0,
        &[
            line("Kernel tables statistics (1)", &[i("dentunusd"), i("file-nr"), i("inode-nr")]),
            line("Kernel tables statistics (2)", &[i("pty-nr")]),
        ],
    )],
};

pub const A_QUEUE: ActivityViews = ActivityViews {
    desc: "Queue length and load average statistics",
    outputs: &[(
        0,
        &[
            line("Queue length", &[i("runq-sz"), i("blocked")]),
            line("Task list statistics", &[i("plist-sz")]),
            line("Load average statistics", &[c("ldavg-1"), c("ldavg-5"), c("ldavg-15")]),
        ],
    )],
};

pub const A_DISK: ActivityViews = ActivityViews {
    desc: "Block devices statistics",
    outputs: &[(
        0,
        &[
            line("Block devices statistics (1)", &[c("tps")]),
            line("Block devices statistics (2)", &[c("rkB/s"), c("wkB/s"), c("dkB/s")]),
            line("Block devices statistics (3)", &[c("areq-sz"), c("aqu-sz")]),
            line("Block devices statistics (4)", &[c("await")]),
            bar("Block devices statistics (5)", &[c("%util")]),
        ],
    )],
};

pub const A_NET_DEV: ActivityViews = ActivityViews {
    desc: "Network interfaces statistics",
    outputs: &[(
        0,
        &[
            line("Network interfaces statistics (1)", &[c("rxpck/s"), c("txpck/s")]),
            line("Network interfaces statistics (2)", &[c("rxkB/s"), c("txkB/s")]),
            line("Network interfaces statistics (3)", &[c("rxcmp/s"), c("txcmp/s"), c("rxmcst/s")]),
            bar("Network interfaces statistics (4)", &[c("%ifutil")]),
        ],
    )],
};

pub const A_NET_EDEV: ActivityViews = ActivityViews {
    desc: "Network interfaces errors statistics",
    outputs: &[(
        0,
        &[
            line("Network interfaces errors statistics (1)", &[c("rxerr/s"), c("txerr/s")]),
            line("Network interfaces errors statistics (2)", &[c("rxdrop/s"), c("txdrop/s")]),
            line("Network interfaces errors statistics (3)", &[c("rxfifo/s"), c("txfifo/s")]),
            line("Network interfaces errors statistics (4)", &[c("coll/s"), c("txcarr/s"), c("rxfram/s")]),
        ],
    )],
};

pub const A_NET_NFS: ActivityViews = ActivityViews {
    desc: "NFS client statistics",
    outputs: &[(
        0,
        &[
            line("NFS client statistics (1)", &[c("call/s"), c("retrans/s")]),
            line("NFS client statistics (2)", &[c("read/s"), c("write/s")]),
            line("NFS client statistics (3)", &[c("access/s"), c("getatt/s")]),
        ],
    )],
};

pub const A_NET_NFSD: ActivityViews = ActivityViews {
    desc: "NFS server statistics",
    outputs: &[(
        0,
        &[
            line("NFS server statistics (1)", &[c("scall/s"), c("badcall/s")]),
            line("NFS server statistics (2)", &[c("packet/s"), c("udp/s"), c("tcp/s")]),
            line("NFS server statistics (3)", &[c("hit/s"), c("miss/s")]),
            line("NFS server statistics (4)", &[c("sread/s"), c("swrite/s")]),
            line("NFS server statistics (5)", &[c("saccess/s"), c("sgetatt/s")]),
        ],
    )],
};

pub const A_NET_SOCK: ActivityViews = ActivityViews {
    desc: "IPv4 sockets statistics",
    outputs: &[(
        0,
        &[
            line("IPv4 sockets statistics (1)", &[i("totsck")]),
            line("IPv4 sockets statistics (2)", &[i("tcpsck"), i("udpsck"), i("rawsck"), i("ip-frag"), i("tcp-tw")]),
        ],
    )],
};

pub const A_NET_IP: ActivityViews = ActivityViews {
    desc: "IPv4 traffic statistics",
    outputs: &[(
        0,
        &[
            line("IPv4 traffic statistics (1)", &[c("irec/s"), c("fwddgm/s"), c("idel/s"), c("orq/s")]),
            line("IPv4 traffic statistics (2)", &[c("asmrq/s"), c("asmok/s")]),
            line("IPv4 traffic statistics (3)", &[c("fragok/s"), c("fragcrt/s")]),
        ],
    )],
};

pub const A_NET_EIP: ActivityViews = ActivityViews {
    desc: "IPv4 traffic errors statistics",
    outputs: &[(
        0,
        &[
            line("IPv4 traffic errors statistics (1)", &[c("ihdrerr/s"), c("iadrerr/s"), c("iukwnpr/s")]),
            line("IPv4 traffic errors statistics (2)", &[c("idisc/s"), c("odisc/s")]),
            line("IPv4 traffic errors statistics (3)", &[c("onort/s"), c("asmf/s"), c("fragf/s")]),
        ],
    )],
};

pub const A_NET_ICMP: ActivityViews = ActivityViews {
    desc: "ICMPv4 traffic statistics",
    outputs: &[(
        0,
        &[
            line("ICMPv4 traffic statistics (1)", &[c("imsg/s"), c("omsg/s")]),
            line("ICMPv4 traffic statistics (2)", &[c("iech/s"), c("iechr/s"), c("oech/s"), c("oechr/s")]),
            line("ICMPv4 traffic statistics (3)", &[c("itm/s"), c("itmr/s"), c("otm/s"), c("otmr/s")]),
            line("ICMPv4 traffic statistics (4)", &[c("iadrmk/s"), c("iadrmkr/s"), c("oadrmk/s"), c("oadrmkr/s")]),
        ],
    )],
};

pub const A_NET_EICMP: ActivityViews = ActivityViews {
    desc: "ICMPv4 traffic errors statistics",
    outputs: &[(
        0,
        &[
            line("ICMPv4 traffic errors statistics (1)", &[c("ierr/s"), c("oerr/s")]),
            line("ICMPv4 traffic errors statistics (2)", &[c("idstunr/s"), c("odstunr/s")]),
            line("ICMPv4 traffic errors statistics (3)", &[c("itmex/s"), c("otmex/s")]),
            line("ICMPv4 traffic errors statistics (4)", &[c("iparmpb/s"), c("oparmpb/s")]),
            line("ICMPv4 traffic errors statistics (5)", &[c("isrcq/s"), c("osrcq/s")]),
            line("ICMPv4 traffic errors statistics (6)", &[c("iredir/s"), c("oredir/s")]),
        ],
    )],
};

pub const A_NET_TCP: ActivityViews = ActivityViews {
    desc: "TCPv4 traffic statistics",
    outputs: &[(
        0,
        &[
            line("TCPv4 traffic statistics (1)", &[c("active/s"), c("passive/s")]),
            line("TCPv4 traffic statistics (2)", &[c("iseg/s"), c("oseg/s")]),
        ],
    )],
};

pub const A_NET_ETCP: ActivityViews = ActivityViews {
    desc: "TCPv4 traffic errors statistics",
    outputs: &[(
        0,
        &[
            line("TCPv4 traffic errors statistics (1)", &[c("atmptf/s"), c("estres/s")]),
            line("TCPv4 traffic errors statistics (2)", &[c("retrseg/s"), c("isegerr/s"), c("orsts/s")]),
        ],
    )],
};

pub const A_NET_UDP: ActivityViews = ActivityViews {
    desc: "UDPv4 traffic statistics",
    outputs: &[(
        0,
        &[
            line("UDPv4 traffic statistics (1)", &[c("idgm/s"), c("odgm/s")]),
            line("UDPv4 traffic statistics (2)", &[c("noport/s"), c("idgmerr/s")]),
        ],
    )],
};

pub const A_NET_SOCK6: ActivityViews = ActivityViews {
    desc: "IPv6 sockets statistics",
    outputs: &[(0, &[line("IPv6 sockets statistics", &[i("tcp6sck"), i("udp6sck"), i("raw6sck"), i("ip6-frag")])])],
};

pub const A_NET_IP6: ActivityViews = ActivityViews {
    desc: "IPv6 traffic statistics",
    outputs: &[(
        0,
        &[
            line("IPv6 traffic statistics (1)", &[c("irec6/s"), c("fwddgm6/s"), c("idel6/s"), c("orq6/s")]),
            line("IPv6 traffic statistics (2)", &[c("asmrq6/s"), c("asmok6/s")]),
            line("IPv6 traffic statistics (3)", &[c("imcpck6/s"), c("omcpck6/s")]),
            line("IPv6 traffic statistics (4)", &[c("fragok6/s"), c("fragcr6/s")]),
        ],
    )],
};

pub const A_NET_EIP6: ActivityViews = ActivityViews {
    desc: "IPv6 traffic errors statistics",
    outputs: &[(
        0,
        &[
            line(
                "IPv6 traffic errors statistics (1)",
                &[c("ihdrer6/s"), c("iadrer6/s"), c("iukwnp6/s"), c("i2big6/s")],
            ),
            line("IPv6 traffic errors statistics (2)", &[c("idisc6/s"), c("odisc6/s")]),
            line("IPv6 traffic errors statistics (3)", &[c("inort6/s"), c("onort6/s")]),
            line("IPv6 traffic errors statistics (4)", &[c("asmf6/s"), c("fragf6/s"), c("itrpck6/s")]),
        ],
    )],
};

pub const A_NET_ICMP6: ActivityViews = ActivityViews {
    desc: "ICMPv6 traffic statistics",
    outputs: &[(
        0,
        &[
            line("ICMPv6 traffic statistics (1)", &[c("imsg6/s"), c("omsg6/s")]),
            line("ICMPv6 traffic statistics (2)", &[c("iech6/s"), c("iechr6/s"), c("oechr6/s")]),
            line(
                "ICMPv6 traffic statistics (3)",
                &[c("igmbq6/s"), c("igmbr6/s"), c("ogmbr6/s"), c("igmbrd6/s"), c("ogmbrd6/s")],
            ),
            line("ICMPv6 traffic statistics (4)", &[c("irtsol6/s"), c("ortsol6/s"), c("irtad6/s")]),
            line("ICMPv6 traffic statistics (5)", &[c("inbsol6/s"), c("onbsol6/s"), c("inbad6/s"), c("onbad6/s")]),
        ],
    )],
};

pub const A_NET_EICMP6: ActivityViews = ActivityViews {
    desc: "ICMPv6 traffic errors statistics",
    outputs: &[(
        0,
        &[
            line("ICMPv6 traffic errors statistics (1)", &[c("ierr6/s")]),
            line("ICMPv6 traffic errors statistics (2)", &[c("idtunr6/s"), c("odtunr6/s")]),
            line("ICMPv6 traffic errors statistics (3)", &[c("itmex6/s"), c("otmex6/s")]),
            line("ICMPv6 traffic errors statistics (4)", &[c("iprmpb6/s"), c("oprmpb6/s")]),
            line("ICMPv6 traffic errors statistics (5)", &[c("iredir6/s"), c("oredir6/s")]),
            line("ICMPv6 traffic errors statistics (6)", &[c("ipck2b6/s"), c("opck2b6/s")]),
        ],
    )],
};

pub const A_NET_UDP6: ActivityViews = ActivityViews {
    desc: "UDPv6 traffic statistics",
    outputs: &[(
        0,
        &[
            line("UDPv6 traffic statistics (1)", &[c("idgm6/s"), c("odgm6/s")]),
            line("UDPv6 traffic statistics (2)", &[c("noport6/s"), c("idgmer6/s")]),
        ],
    )],
};

pub const A_PWR_CPU: ActivityViews =
    ActivityViews { desc: "CPU clock frequency", outputs: &[(0, &[line("CPU clock frequency", &[c("MHz")])])] };

pub const A_PWR_FAN: ActivityViews =
    ActivityViews { desc: "Fans speed", outputs: &[(0, &[line("Fans speed", &[i("rpm")])])] };

pub const A_PWR_TEMP: ActivityViews = ActivityViews {
    desc: "Devices temperature",
    outputs: &[(0, &[line("Devices temperature (1)", &[i("degC")]), bar("Devices temperature (2)", &[c("%temp")])])],
};

pub const A_PWR_IN: ActivityViews = ActivityViews {
    desc: "Voltage inputs statistics",
    outputs: &[(
        0,
        &[line("Voltage inputs statistics (1)", &[c("inV")]), bar("Voltage inputs statistics (2)", &[c("%in")])],
    )],
};

pub const A_HUGE: ActivityViews = ActivityViews {
    desc: "Huge pages utilization",
    outputs: &[(
        0,
        &[
            line("Huge pages utilization (1)", &[i("kbhugfree"), i("kbhugused"), i("kbhugrsvd"), i("kbhugsurp")]),
            bar("Huge pages utilization (2)", &[c("%hugused")]),
        ],
    )],
};

/// sarkit's per-cgroup activity: one graph per cgroup and view, as for
/// interfaces; the outputs are `--cgroup`'s CPU, MEM, IO and PSI bits.
pub const A_CGROUP: ActivityViews = ActivityViews {
    desc: "Cgroup (pod) statistics",
    outputs: &[
        (
            1,
            &[
                bar("Cgroup CPU utilization", &[c("%usr"), c("%sys")]),
                line("Cgroup CPU against its limit", &[c("%limit"), c("%thrtl")]),
                line("Cgroup CPU throttling", &[c("thrtms/s")]),
            ],
        ),
        (
            2,
            &[
                line(
                    "Cgroup memory utilization (1)",
                    &[mb("MBused", "kbused"), mb("MBpeak", "kbpeak"), mb("MBanon", "kbanon"), mb("MBfile", "kbfile")],
                ),
                bar("Cgroup memory utilization (2)", &[c("%limit")]),
                line("Cgroup memory faults", &[c("fault/s"), c("majflt/s"), c("refault/s")]),
                line("Cgroup OOM events", &[i("oom"), i("oomkill")]),
            ],
        ),
        (
            4,
            &[
                line("Cgroup I/O (1)", &[c("r/s"), c("w/s")]),
                line("Cgroup I/O (2)", &[c("rkB/s"), c("wkB/s"), c("dkB/s")]),
            ],
        ),
        (8, &[line("Cgroup pressure stalls", &[c("%scpu"), c("%fcpu"), c("%smem"), c("%fmem"), c("%sio"), c("%fio")])]),
    ],
};

pub const A_FS: ActivityViews = ActivityViews {
    desc: "Filesystems statistics",
    outputs: &[(
        0,
        &[
            line("Filesystems statistics (1)", &[i("MBfsfree"), i("MBfsused")]),
            // sadf draws these two as overlapping bars; stacked they would
            // add up, so they are lines here.
            line("Filesystems statistics (2)", &[c("%ufsused"), c("%fsused")]),
            line(
                "Filesystems statistics (3)",
                &[
                    SeriesSpec { name: "Ifree/1000", cols: "Ifree", div: 1000.0, int: false },
                    SeriesSpec { name: "Iused/1000", cols: "Iused", div: 1000.0, int: false },
                ],
            ),
            bar("Filesystems statistics (4)", &[c("%Iused")]),
        ],
    )],
};

pub const A_NET_FC: ActivityViews = ActivityViews {
    desc: "Fibre Channel HBA statistics",
    outputs: &[(
        0,
        &[
            line("Fibre Channel HBA statistics (1)", &[c("fch_rxf/s"), c("fch_txf/s")]),
            line("Fibre Channel HBA statistics (2)", &[c("fch_rxw/s"), c("fch_txw/s")]),
        ],
    )],
};

pub const A_NET_SOFT: ActivityViews = ActivityViews {
    desc: "Software-based network processing statistics",
    outputs: &[(
        0,
        &[
            line("Software-based network processing statistics (1)", &[c("total/s"), c("dropd/s")]),
            line("Software-based network processing statistics (2)", &[c("squeezd/s"), c("rx_rps/s"), c("flw_lim/s")]),
            line("Software-based network processing statistics (3)", &[i("blg_len")]),
        ],
    )],
};

pub const A_PSI_CPU: ActivityViews = ActivityViews {
    desc: "Pressure-stall CPU statistics",
    outputs: &[(
        0,
        &[
            line("CPU pressure trends (some tasks)", &[c("%scpu-10"), c("%scpu-60"), c("%scpu-300")]),
            bar("CPU stall time (some tasks)", &[c("%scpu")]),
        ],
    )],
};

pub const A_PSI_IO: ActivityViews = ActivityViews {
    desc: "Pressure-stall I/O statistics",
    outputs: &[(
        0,
        &[
            line("I/O pressure trends (some tasks)", &[c("%sio-10"), c("%sio-60"), c("%sio-300")]),
            bar("I/O stall time (some tasks)", &[c("%sio")]),
            line("I/O pressure trends (full)", &[c("%fio-10"), c("%fio-60"), c("%fio-300")]),
            bar("I/O stall time (full)", &[c("%fio")]),
        ],
    )],
};

pub const A_PSI_MEM: ActivityViews = ActivityViews {
    desc: "Pressure-stall memory statistics",
    outputs: &[(
        0,
        &[
            line("Memory pressure trends (some tasks)", &[c("%smem-10"), c("%smem-60"), c("%smem-300")]),
            bar("Memory stall time (some tasks)", &[c("%smem")]),
            line("Memory pressure trends (full)", &[c("%fmem-10"), c("%fmem-60"), c("%fmem-300")]),
            bar("Memory stall time (full)", &[c("%fmem")]),
        ],
    )],
};

pub const A_PWR_BAT: ActivityViews =
    ActivityViews { desc: "Batteries capacity", outputs: &[(0, &[bar("Batteries capacity", &[i("%cap")])])] };
