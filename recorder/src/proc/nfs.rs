//! /proc/net/rpc/nfs (A_NET_NFS) and /proc/net/rpc/nfsd (A_NET_NFSD):
//! RPC counts plus read, write, access and getattr calls over NFSv3 and v4.

use sarkit_format::stats::{StatsNetNfs, StatsNetNfsd};

use super::scan::{fgets_lines, from, numbers};

const LINE: usize = 256;

/// Positions (after the leading count) of the per-procedure counters we
/// want: getattr, access, read, write. A short line leaves the counters
/// it lacks at their values from the previous line, as sadc does.
#[derive(Default)]
struct Calls {
    getattr: u32,
    access: u32,
    read: u32,
    write: u32,
}

impl Calls {
    fn update(&mut self, v: &[u64], getattr: usize, access: usize, read: usize, write: usize) {
        for (slot, i) in
            [(&mut self.getattr, getattr), (&mut self.access, access), (&mut self.read, read), (&mut self.write, write)]
        {
            if let Some(&x) = v.get(i) {
                *slot = x as u32;
            }
        }
    }
}

impl Calls {
    /// Adds the counters of the last procedure line to a structure's
    /// getattr, access, read and write counts (wrapping, as sadc's do).
    fn add_to(&self, [getattr, access, read, write]: [&mut u32; 4]) {
        for (slot, v) in [(getattr, self.getattr), (access, self.access), (read, self.read), (write, self.write)] {
            *slot = slot.wrapping_add(v);
        }
    }
}

/// The leading numbers of a line into `slots`, in order; slots the line
/// has no number for keep their values.
fn set<const N: usize>(slots: [&mut u32; N], v: &[u64]) {
    for (slot, &x) in slots.into_iter().zip(v) {
        *slot = x as u32;
    }
}

pub fn parse_nfs(data: &[u8]) -> StatsNetNfs {
    let mut s = StatsNetNfs::default();
    let mut c = Calls::default();
    for line in fgets_lines(data, LINE) {
        if line.starts_with(b"rpc ") {
            let v = numbers(from(line, 4));
            set([&mut s.nfs_rpccnt, &mut s.nfs_rpcretrans], &v);
            continue;
        } else if line.starts_with(b"proc3 ") {
            c.update(&numbers(from(line, 6)), 2, 5, 7, 8);
        } else if line.starts_with(b"proc4 ") {
            c.update(&numbers(from(line, 6)), 19, 18, 2, 3);
        } else {
            continue;
        }
        c.add_to([&mut s.nfs_getattcnt, &mut s.nfs_accesscnt, &mut s.nfs_readcnt, &mut s.nfs_writecnt]);
    }
    s
}

pub fn parse_nfsd(data: &[u8]) -> StatsNetNfsd {
    let mut s = StatsNetNfsd::default();
    let mut c = Calls::default();
    for line in fgets_lines(data, LINE) {
        if line.starts_with(b"rc ") {
            let v = numbers(from(line, 3));
            set([&mut s.nfsd_rchits, &mut s.nfsd_rcmisses], &v);
            continue;
        } else if line.starts_with(b"net ") {
            let v = numbers(from(line, 4));
            set([&mut s.nfsd_netcnt, &mut s.nfsd_netudpcnt, &mut s.nfsd_nettcpcnt], &v);
            continue;
        } else if line.starts_with(b"rpc ") {
            let v = numbers(from(line, 4));
            set([&mut s.nfsd_rpccnt, &mut s.nfsd_rpcbad], &v);
            continue;
        } else if line.starts_with(b"proc3 ") {
            c.update(&numbers(from(line, 6)), 2, 5, 7, 8);
        } else if line.starts_with(b"proc4ops ") {
            // NFSv4 operation numbers plus one: ACCESS 3, GETATTR 9, READ 25, WRITE 38.
            c.update(&numbers(from(line, 9)), 10, 4, 26, 39);
        } else {
            continue;
        }
        c.add_to([&mut s.nfsd_getattcnt, &mut s.nfsd_accesscnt, &mut s.nfsd_readcnt, &mut s.nfsd_writecnt]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_counts_v3_and_v4() {
        let s = parse_nfs(
            b"net 0 0 0 0\nrpc 100 2 100\nproc2 18 0 0\n\
proc3 22 0 10 0 0 11 0 12 13 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n\
proc4 48 0 20 21 0 0 0 0 0 0 0 0 0 0 0 0 0 0 22 23 0\n",
        );
        assert_eq!((s.nfs_rpccnt, s.nfs_rpcretrans), (100, 2));
        assert_eq!((s.nfs_getattcnt, s.nfs_accesscnt, s.nfs_readcnt, s.nfs_writecnt), (33, 33, 32, 34));
    }

    #[test]
    fn server_counts_v3_and_v4_ops() {
        let mut ops = vec![0u64; 41];
        ops[0] = 40;
        ops[4] = 1;
        ops[10] = 2;
        ops[26] = 3;
        ops[39] = 4;
        let ops: Vec<String> = ops.iter().map(u64::to_string).collect();
        let data =
            format!("rc 1 2 3\nnet 10 4 6 1\nrpc 10 0 0 0 0\nproc3 22 0 5 0 0 6 0 7 8\nproc4ops {}\n", ops.join(" "));
        let s = parse_nfsd(data.as_bytes());
        assert_eq!(
            (s.nfsd_rchits, s.nfsd_rcmisses, s.nfsd_netcnt, s.nfsd_netudpcnt, s.nfsd_nettcpcnt),
            (1, 2, 10, 4, 6)
        );
        assert_eq!((s.nfsd_rpccnt, s.nfsd_rpcbad), (10, 0));
        assert_eq!((s.nfsd_getattcnt, s.nfsd_accesscnt, s.nfsd_readcnt, s.nfsd_writecnt), (7, 7, 10, 12));
    }

    #[test]
    fn short_lines_reuse_previous_values() {
        let s = parse_nfs(b"proc3 22 0 10 0 0 11 0 12 13\nproc3 22 0 1\nrpc x\n");
        assert_eq!((s.nfs_getattcnt, s.nfs_accesscnt, s.nfs_readcnt, s.nfs_writecnt), (11, 22, 24, 26));
        assert_eq!(s.nfs_rpccnt, 0);
    }
}
