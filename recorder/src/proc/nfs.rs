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
    /// Takes the counters at `[getattr, access, read, write]` of a
    /// procedure line, keeping those the line is too short for.
    fn update(&mut self, v: &[u64], at: [usize; 4]) {
        for (slot, i) in [&mut self.getattr, &mut self.access, &mut self.read, &mut self.write].into_iter().zip(at) {
            if let Some(&x) = v.get(i) {
                *slot = x as u32;
            }
        }
    }

    /// Adds the counters to a structure's getattr, access, read and write
    /// counts (wrapping, as sadc's do).
    fn add_to(&self, counts: &mut [&mut u32; 4]) {
        for (slot, v) in counts.iter_mut().zip([self.getattr, self.access, self.read, self.write]) {
            **slot = slot.wrapping_add(v);
        }
    }
}

/// sadc's reading of an RPC statistics file, the one loop both files share:
/// a line starting with a key of `counters` sets the fields listed with it
/// to its leading numbers (fields the line has no number for keep theirs);
/// a line starting with a key of `procedures` updates the call counters from
/// the positions listed with it, then adds them to `calls` (getattr,
/// access, read and write).
fn read_rpc_file(
    data: &[u8],
    mut counters: Vec<(&str, Vec<&mut u32>)>,
    procedures: &[(&str, [usize; 4])],
    mut calls: [&mut u32; 4],
) {
    let mut c = Calls::default();
    for line in fgets_lines(data, LINE) {
        let starts = |key: &str| line.starts_with(key.as_bytes());
        if let Some((key, fields)) = counters.iter_mut().find(|(key, _)| starts(key)) {
            for (slot, &x) in fields.iter_mut().zip(&numbers(from(line, key.len()))) {
                **slot = x as u32;
            }
        } else if let Some((key, at)) = procedures.iter().find(|(key, _)| starts(key)) {
            c.update(&numbers(from(line, key.len())), *at);
            c.add_to(&mut calls);
        }
    }
}

pub fn parse_nfs(data: &[u8]) -> StatsNetNfs {
    let mut s = StatsNetNfs::default();
    read_rpc_file(
        data,
        vec![("rpc ", vec![&mut s.nfs_rpccnt, &mut s.nfs_rpcretrans])],
        &[("proc3 ", [2, 5, 7, 8]), ("proc4 ", [19, 18, 2, 3])],
        [&mut s.nfs_getattcnt, &mut s.nfs_accesscnt, &mut s.nfs_readcnt, &mut s.nfs_writecnt],
    );
    s
}

pub fn parse_nfsd(data: &[u8]) -> StatsNetNfsd {
    let mut s = StatsNetNfsd::default();
    read_rpc_file(
        data,
        vec![
            ("rc ", vec![&mut s.nfsd_rchits, &mut s.nfsd_rcmisses]),
            ("net ", vec![&mut s.nfsd_netcnt, &mut s.nfsd_netudpcnt, &mut s.nfsd_nettcpcnt]),
            ("rpc ", vec![&mut s.nfsd_rpccnt, &mut s.nfsd_rpcbad]),
        ],
        // NFSv4 operation numbers plus one: ACCESS 3, GETATTR 9, READ 25, WRITE 38.
        &[("proc3 ", [2, 5, 7, 8]), ("proc4ops ", [10, 4, 26, 39])],
        [&mut s.nfsd_getattcnt, &mut s.nfsd_accesscnt, &mut s.nfsd_readcnt, &mut s.nfsd_writecnt],
    );
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
