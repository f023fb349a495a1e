//! sadc's `-S` activity list: which activities a new file collects.
//!
//! Keywords add to (or, for `-A_NAME` and `A_NULL`, remove from) the default
//! set, in order, as sadc applies them; several `-S` options accumulate.

use std::fmt;

use sarkit_format::{ActivityId, ACTIVITIES};

/// sadc's activity groups (`G_*` in sa.h).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Default,
    Int,
    Disk,
    Snmp,
    Ipv6,
    Power,
    XDisk,
    /// sarkit's per-cgroup activity: `CGROUP`, or `XALL`.
    Cgroup,
}

fn group(id: ActivityId) -> Group {
    use ActivityId as A;
    match id {
        A::A_IRQ => Group::Int,
        A::A_DISK | A::A_NET_FC => Group::Disk,
        A::A_NET_IP | A::A_NET_EIP | A::A_NET_ICMP | A::A_NET_EICMP | A::A_NET_TCP | A::A_NET_ETCP | A::A_NET_UDP => {
            Group::Snmp
        }
        A::A_NET_SOCK6 | A::A_NET_IP6 | A::A_NET_EIP6 | A::A_NET_ICMP6 | A::A_NET_EICMP6 | A::A_NET_UDP6 => Group::Ipv6,
        A::A_PWR_CPU | A::A_PWR_FAN | A::A_PWR_TEMP | A::A_PWR_IN | A::A_PWR_FREQ | A::A_PWR_USB | A::A_PWR_BAT => {
            Group::Power
        }
        A::A_FS => Group::XDisk,
        A::A_CGROUP => Group::Cgroup,
        _ => Group::Default,
    }
}

/// Collected when no `-S` says otherwise: every default-group activity
/// except A_DISK's group, interrupts, SNMP, IPv6 and power.
fn collected_by_default(id: ActivityId) -> bool {
    group(id) == Group::Default
}

/// The activities to collect, and whether A_DISK includes partitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    collected: Vec<ActivityId>,
    partitions: bool,
}

impl Default for Selection {
    fn default() -> Self {
        let collected = ACTIVITIES.iter().map(|a| a.id).filter(|&id| collected_by_default(id)).collect();
        Selection { collected, partitions: false }
    }
}

/// A keyword sadc does not know; sadc prints its usage and exits 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectError(pub String);

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown activity keyword: {}", self.0)
    }
}

impl std::error::Error for SelectError {}

impl Selection {
    /// No activity at all (`A_NULL`).
    pub fn none() -> Self {
        Selection { collected: Vec::new(), partitions: false }
    }

    /// Exactly `ids`, with or without A_DISK's partitions.
    pub fn only(ids: &[ActivityId], partitions: bool) -> Self {
        Selection { collected: ids.to_vec(), partitions }
    }

    /// Whether `id` is to be collected.
    pub fn contains(&self, id: ActivityId) -> bool {
        self.collected.contains(&id)
    }

    /// The selected activities in sysstat's order.
    pub fn ids(&self) -> Vec<ActivityId> {
        ACTIVITIES.iter().map(|a| a.id).filter(|&id| self.contains(id)).collect()
    }

    /// Whether A_DISK records partitions too (`XDISK`, `XALL`).
    pub fn partitions(&self) -> bool {
        self.partitions
    }

    fn add(&mut self, id: ActivityId) {
        if !self.collected.contains(&id) {
            self.collected.push(id);
        }
    }

    fn add_groups(&mut self, groups: &[Group]) {
        for a in &ACTIVITIES {
            if groups.contains(&group(a.id)) {
                self.add(a.id);
            }
        }
    }

    /// Apply one `-S` argument: comma-separated keywords, in order.
    pub fn apply(&mut self, list: &str) -> Result<(), SelectError> {
        for word in list.split(',').filter(|w| !w.is_empty()) {
            match word {
                "INT" => self.add_groups(&[Group::Int]),
                "DISK" => self.add_groups(&[Group::Disk]),
                "XDISK" => {
                    self.add_groups(&[Group::Disk, Group::XDisk]);
                    self.partitions = true;
                }
                "SNMP" => self.add_groups(&[Group::Snmp]),
                "IPV6" => self.add_groups(&[Group::Ipv6]),
                "POWER" => self.add_groups(&[Group::Power]),
                "CGROUP" => self.add_groups(&[Group::Cgroup]),
                "ALL" | "XALL" => {
                    for a in &ACTIVITIES {
                        if word == "XALL" || !matches!(group(a.id), Group::XDisk | Group::Cgroup) {
                            self.add(a.id);
                        }
                    }
                    if word == "XALL" {
                        self.partitions = true;
                    }
                }
                "A_NULL" => self.collected.clear(),
                _ => {
                    let (remove, name) = match word.strip_prefix('-') {
                        Some(n) => (true, n),
                        None => (false, word),
                    };
                    let found = name.starts_with("A_").then(|| ACTIVITIES.iter().find(|a| a.name == name)).flatten();
                    let Some(a) = found else { return Err(SelectError(word.to_string())) };
                    if remove {
                        self.collected.retain(|&id| id != a.id);
                    } else {
                        self.add(a.id);
                    }
                }
            }
        }
        Ok(())
    }
}

/// The selection for one `-S` argument, starting from the default set.
pub fn parse(list: &str) -> Result<Selection, SelectError> {
    let mut s = Selection::default();
    s.apply(list)?;
    Ok(s)
}

/// The selection for every `-S` argument of a command line, in order.
pub fn parse_all<'a>(lists: impl IntoIterator<Item = &'a str>) -> Result<Selection, SelectError> {
    let mut s = Selection::default();
    for l in lists {
        s.apply(l)?;
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActivityId as A;

    fn names(s: &Selection) -> Vec<&'static str> {
        s.ids().iter().filter_map(|id| id.info()).map(|i| i.name).collect()
    }

    #[test]
    fn default_set_is_sadcs() {
        assert_eq!(
            names(&Selection::default()),
            vec![
                "A_CPU",
                "A_PCSW",
                "A_SWAP",
                "A_PAGE",
                "A_IO",
                "A_MEMORY",
                "A_HUGE",
                "A_KTABLES",
                "A_QUEUE",
                "A_SERIAL",
                "A_NET_DEV",
                "A_NET_EDEV",
                "A_NET_NFS",
                "A_NET_NFSD",
                "A_NET_SOCK",
                "A_NET_SOFT",
                "A_PSI_CPU",
                "A_PSI_IO",
                "A_PSI_MEM",
            ]
        );
        assert!(!Selection::default().partitions());
    }

    #[test]
    fn groups_add_to_the_default() {
        let s = parse("DISK,INT").unwrap();
        assert!(s.contains(A::A_DISK) && s.contains(A::A_NET_FC) && s.contains(A::A_IRQ) && s.contains(A::A_CPU));
        assert!(!s.partitions() && !s.contains(A::A_FS));
        let s = parse("XDISK").unwrap();
        assert!(s.contains(A::A_FS) && s.partitions());
        let s = parse("SNMP,IPV6,POWER").unwrap();
        assert!(s.contains(A::A_NET_ETCP) && s.contains(A::A_NET_UDP6) && s.contains(A::A_PWR_BAT));
    }

    #[test]
    fn all_xall_and_removal() {
        let all = parse("ALL").unwrap();
        assert_eq!(all.ids().len(), 42);
        assert!(!all.contains(A::A_FS) && !all.partitions());
        assert!(!all.contains(A::A_CGROUP));
        let x = parse("XALL").unwrap();
        assert_eq!(x.ids().len(), 44);
        assert!(x.contains(A::A_CGROUP));
        assert!(x.partitions());
        let case =
            parse("XALL,-A_FS,-A_PWR_CPU,-A_PWR_FAN,-A_PWR_IN,-A_PWR_TEMP,-A_PWR_FREQ,-A_PWR_USB,-A_PWR_BAT,-A_NET_FC")
                .unwrap();
        assert_eq!(case.ids().len(), 35);
        assert!(case.contains(A::A_IRQ) && case.contains(A::A_DISK) && case.partitions());
        let only = parse("A_NULL,A_CPU,A_IRQ").unwrap();
        assert_eq!(names(&only), vec!["A_CPU", "A_IRQ"]);
        assert_eq!(names(&parse_all(["A_NULL", "A_MEMORY", "-A_MEMORY,A_CPU"]).unwrap()), vec!["A_CPU"]);
    }

    #[test]
    fn cgroup_keyword_adds_the_extension_to_the_default() {
        let s = parse("CGROUP").unwrap();
        assert!(s.contains(A::A_CGROUP) && s.contains(A::A_CPU));
        assert!(!Selection::default().contains(A::A_CGROUP));
        assert_eq!(names(&parse("A_NULL,CGROUP").unwrap()), vec!["A_CGROUP"]);
        assert_eq!(names(&parse("A_NULL,A_CGROUP").unwrap()), vec!["A_CGROUP"]);
    }

    #[test]
    fn unknown_keywords_are_errors() {
        assert_eq!(parse("A_BOGUS"), Err(SelectError("A_BOGUS".into())));
        assert!(parse("-A_BOGUS").is_err());
        assert!(parse("cpu").is_err());
        assert!(parse("-DISK").is_err());
        assert_eq!(parse(",,"), Ok(Selection::default()));
    }
}
