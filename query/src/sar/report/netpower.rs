//! The `-n` reports besides DEV/EDEV and every `-m` report, by activity:
//! kept apart from the shared table so the option-to-report mapping of this
//! family lives in one place.

use sarkit_format::stats::{
    StatsNetEicmp, StatsNetEicmp6, StatsNetEip, StatsNetEip6, StatsNetEtcp, StatsNetIcmp, StatsNetIcmp6, StatsNetIp,
    StatsNetIp6, StatsNetNfs, StatsNetNfsd, StatsNetSock, StatsNetSock6, StatsNetTcp, StatsNetUdp, StatsNetUdp6,
    StatsPwrFan, StatsPwrIn, StatsPwrTemp,
};
use sarkit_format::ActivityId;

use super::net_sock::Sock;
use super::rates::Rates;
use super::sensors::Sensors;
use super::Report;
use crate::sar::options::Options;

/// The report for `id` if it belongs to this family; `nr_ini` is the
/// file header's item count.
pub fn make(id: ActivityId, o: &Options, nr_ini: i64) -> Option<Box<dyn Report>> {
    let bits = o.cpu_bits();
    Some(match id {
        ActivityId::A_NET_NFS => Box::new(Rates::<StatsNetNfs>::new()),
        ActivityId::A_NET_NFSD => Box::new(Rates::<StatsNetNfsd>::new()),
        ActivityId::A_NET_SOCK => Box::new(Sock::<StatsNetSock>::new()),
        ActivityId::A_NET_IP => Box::new(Rates::<StatsNetIp>::new()),
        ActivityId::A_NET_EIP => Box::new(Rates::<StatsNetEip>::new()),
        ActivityId::A_NET_ICMP => Box::new(Rates::<StatsNetIcmp>::new()),
        ActivityId::A_NET_EICMP => Box::new(Rates::<StatsNetEicmp>::new()),
        ActivityId::A_NET_TCP => Box::new(Rates::<StatsNetTcp>::new()),
        ActivityId::A_NET_ETCP => Box::new(Rates::<StatsNetEtcp>::new()),
        ActivityId::A_NET_UDP => Box::new(Rates::<StatsNetUdp>::new()),
        ActivityId::A_NET_SOCK6 => Box::new(Sock::<StatsNetSock6>::new()),
        ActivityId::A_NET_IP6 => Box::new(Rates::<StatsNetIp6>::new()),
        ActivityId::A_NET_EIP6 => Box::new(Rates::<StatsNetEip6>::new()),
        ActivityId::A_NET_ICMP6 => Box::new(Rates::<StatsNetIcmp6>::new()),
        ActivityId::A_NET_EICMP6 => Box::new(Rates::<StatsNetEicmp6>::new()),
        ActivityId::A_NET_UDP6 => Box::new(Rates::<StatsNetUdp6>::new()),
        ActivityId::A_NET_FC => Box::new(super::net_fc::Fc::new()),
        ActivityId::A_NET_SOFT => Box::new(super::net_soft::Soft::new(nr_ini, o.cpu_bitmap.clone(), bits)),
        ActivityId::A_PWR_CPU => Box::new(super::power::CpuFreq::new(o.cpu_bitmap.clone(), bits)),
        ActivityId::A_PWR_FREQ => Box::new(super::power::WghFreq::new(o.cpu_bitmap.clone(), bits)),
        ActivityId::A_PWR_FAN => Box::new(Sensors::<StatsPwrFan>::new()),
        ActivityId::A_PWR_TEMP => Box::new(Sensors::<StatsPwrTemp>::new()),
        ActivityId::A_PWR_IN => Box::new(Sensors::<StatsPwrIn>::new()),
        ActivityId::A_PWR_USB => Box::new(super::usb_bat::Usb::new(nr_ini)),
        ActivityId::A_PWR_BAT => Box::new(super::usb_bat::Bat::new()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_the_family_and_nothing_else() {
        let o = Options::default();
        for id in (14..=33).chain([35, 36, 38, 39, 43]) {
            let r = make(ActivityId(id), &o, 2).unwrap_or_else(|| panic!("activity {id}"));
            assert_eq!(r.id(), ActivityId(id));
        }
        for id in [1, 12, 13, 34, 37, 40] {
            assert!(make(ActivityId(id), &o, 2).is_none());
        }
    }
}
