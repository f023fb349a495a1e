//! The man pages (`man/*.scd`) against the parsers: every option rsar and
//! rsadf accept is documented, and every documented one is accepted. One
//! letter options are found by trying each letter; long ones are taken
//! from the usage and help texts, where sysstat lists them, plus sarkit's
//! own (which the usage texts keep sysstat's and so leave out).
//! rsadc's page is checked against its `--help` in recorder/tests.

use std::collections::BTreeSet;

use sarkit_query::sar::options::{self, DefaultFile, Exit};
use sarkit_query::{compare, sadf};
use sarkit_testkit::man_options;

/// Words an option may take after it, tried in turn.
const VALUES: [&[&str]; 6] = [&[], &["ALL"], &["1"], &["x"], &["2026-11-21"], &["png"]];

struct NoFiles;

impl DefaultFile for NoFiles {
    fn default_file(&self, _: Option<&str>, _: i64) -> String {
        "/nonexistent/sa21".into()
    }
    fn is_dir(&self, _: &str) -> bool {
        false
    }
}

/// The command lines that try `option`: followed by each of the
/// [`VALUES`], and for a long one, joined to one by `=`.
fn tries(option: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    let apart =
        VALUES.iter().map(move |v| std::iter::once(option).chain(v.iter().copied()).map(String::from).collect());
    let joined = VALUES.iter().filter_map(|v| v.first()).filter(|_| option.starts_with("--"));
    apart.chain(joined.map(move |v| vec![format!("{option}={v}")]))
}

/// Whether sar's parser takes `option` in one of its [`tries`]: any
/// outcome but the usage text.
fn rsar_accepts(option: &str) -> bool {
    tries(option).any(|args| !matches!(options::parse(&args, &NoFiles), Err(Exit::Usage)))
}

/// sadf's parser, or `--compare`'s, whose options stand between
/// `--compare` and the groups' files (`--compare` and `--against` are what
/// make a comparison: accepted if a bare one is).
fn rsadf_accepts(option: &str) -> bool {
    let compares = |args: &[String]| {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        compare::parse(&[words(&["--compare"]), args.to_vec(), words(&["a", "--against", "b"])].concat()).is_ok()
    };
    if matches!(option, "--compare" | "--against") {
        return compares(&[]);
    }
    // `--restore ARCHIVE` is the binary's own, taken before sadf's parser
    // (cli/src/bin/rsadf.rs; tested in cli/tests/archive_reading.rs).
    if option == "--restore" {
        return true;
    }
    tries(option).any(|args| sadf::parse(&args).is_ok() || compares(&args))
}

/// `--long` words of a usage or help text, `=...` cut off.
fn long_options(text: &str) -> BTreeSet<String> {
    text.split(|c: char| c.is_whitespace() || "[]{}|".contains(c))
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| w.split('=').next().unwrap_or(w).to_string())
        .collect()
}

/// Every option `accepts` takes, as found by trying letters and `long`.
fn accepted(accepts: impl Fn(&str) -> bool, long: BTreeSet<String>) -> BTreeSet<String> {
    let letters = ('A'..='Z').chain('a'..='z').map(|c| format!("-{c}"));
    letters.chain(long).filter(|o| accepts(o)).collect()
}

/// Both directions, with the differences named.
fn assert_same(page: &str, accepted: &BTreeSet<String>, accepts: impl Fn(&str) -> bool) {
    let documented = man_options(page);
    let undocumented: Vec<_> = accepted.difference(&documented).collect();
    assert!(undocumented.is_empty(), "accepted but not in man/{page}.scd: {undocumented:?}");
    let refused: Vec<_> = documented.iter().filter(|o| !accepts(o)).collect();
    assert!(refused.is_empty(), "in man/{page}.scd but refused by the parser: {refused:?}");
}

#[test]
fn rsar_page_documents_every_option() {
    let mut long = long_options(&options::usage_text("rsar"));
    long.extend(long_options(&options::help_text("rsar")));
    long.extend(["--from", "--to", "--getenv"].map(String::from));
    let accepted = accepted(rsar_accepts, long);
    assert!(accepted.contains("-u") && accepted.contains("--dev") && !accepted.contains("-k"), "{accepted:?}");
    assert_same("rsar.1", &accepted, rsar_accepts);
}

#[test]
fn rsadf_page_documents_every_option() {
    let mut long = long_options(&sadf::usage("rsadf"));
    long.extend(long_options(&compare::usage("rsadf")));
    long.extend(["--from", "--to", "--parquet", "--openmetrics", "--compat"].map(String::from));
    let accepted = accepted(rsadf_accepts, long);
    assert!(accepted.contains("-g") && accepted.contains("--iface") && !accepted.contains("-k"), "{accepted:?}");
    assert_same("rsadf.1", &accepted, rsadf_accepts);
}

#[test]
fn every_page_has_its_exit_status() {
    for page in ["rsar.1", "rsadf.1", "rsadc.8"] {
        let text = std::fs::read_to_string(sarkit_testkit::workspace().join(format!("man/{page}.scd"))).unwrap();
        assert!(text.starts_with(&format!("{}(", page.split('.').next().unwrap())), "{page}: scdoc's title line");
        for section in ["# NAME", "# SYNOPSIS", "# EXIT STATUS", "# SEE ALSO"] {
            assert!(text.contains(section), "{page} lacks {section}");
        }
    }
}
