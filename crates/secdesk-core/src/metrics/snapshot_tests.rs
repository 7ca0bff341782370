//! The snapshot is used only when it is the data's, every other case reads
//! SQLite again, and a dataset from a snapshot computes what one from SQLite does.

use super::*;
use crate::metrics::rollup::compute;
use crate::metrics::testdata::{import_surveys, import_tickets, sample_store};
use crate::metrics::MetricsConfig;

/// A database of generated tickets plus an event log (updates and waits).
fn store(name: &str) -> (Store, PathBuf) {
    let (mut store, dir) = sample_store(name, 2_000, 11);
    let events = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/sla/events.csv");
    import_tickets(&mut store, &events, Some("servicenow"));
    (store, dir)
}

fn reason(opened: &Opened) -> &str {
    match opened {
        Opened::Rebuilt { reason, written } => {
            assert_eq!(written, &Ok(()), "the snapshot is written again");
            reason
        }
        other => panic!("expected a rebuild, got {other:?}"),
    }
}

fn assert_same(a: &Dataset, b: &Dataset) {
    assert!(a.tickets.equals_missing(&b.tickets), "tickets");
    assert!(a.surveys.equals_missing(&b.surveys), "responses");
    assert!(a.updates.equals_missing(&b.updates), "updates");
    assert!(a.pauses.equals_missing(&b.pauses), "waits");
    assert_eq!(a.dictionaries, b.dictionaries);
    assert_eq!(a.latest, b.latest);
    assert_eq!(a.ticket_sources, b.ticket_sources);
    assert_eq!(a.survey_sources, b.survey_sources);
    let cfg = MetricsConfig::default();
    assert_eq!(compute(a, &cfg).expect("a"), compute(b, &cfg).expect("b"));
}

fn part_path(dir: &Path, name: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .expect("snapshot dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(&format!("-{name}.arrow")))
        .expect("part")
}

/// Rewrites the manifest's JSON through `edit`, with a checksum that holds.
fn edit_manifest(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join(MANIFEST);
    let text = std::fs::read(&path).expect("manifest");
    let newline = text.iter().position(|&b| b == b'\n').expect("line");
    let mut json: serde_json::Value = serde_json::from_slice(&text[newline + 1..]).expect("json");
    edit(&mut json);
    let body = serde_json::to_vec(&json).expect("body");
    let mut out = format!("{:08x}\n", crc32fast::hash(&body)).into_bytes();
    out.extend_from_slice(&body);
    std::fs::write(&path, out).expect("write");
}

#[test]
fn a_missing_snapshot_is_written_then_used_and_gives_the_same_dataset() {
    let (store, dir) = store("snap-missing");
    let direct = Dataset::load(&store).expect("sqlite");
    assert!(direct.updates.height() > 0 && direct.pauses.height() > 0);
    let (first, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("open");
    assert_eq!(reason(&opened), "missing");
    let (second, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("again");
    assert_eq!(opened, Opened::Snapshot);
    assert_same(&direct, &first);
    assert_same(&direct, &second);
    let cell = second.tickets.column("cell").expect("cell");
    assert_eq!(
        cell.u32().expect("u32").is_sorted_flag(),
        polars::series::IsSorted::Ascending
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_import_or_a_forget_makes_the_snapshot_stale() {
    let (mut store, dir) = store("snap-stale");
    Dataset::open(&store).expect("write");
    let before = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("read");
    assert_eq!(before.1, Opened::Snapshot);
    let last = store.imports().expect("imports").last().expect("one").id;
    store.forget(last).expect("forget");
    let (after, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("open");
    assert!(reason(&opened).starts_with("stale"), "{opened:?}");
    assert!(after.ticket_count() < before.0.ticket_count());
    assert_same(&Dataset::load(&store).expect("sqlite"), &after);
    // Only the new generation's files are left: its frames, the manifest,
    // and the calendar its computation kept (`assert_same` computed).
    let files = std::fs::read_dir(snapshot_dir(&dir.join("db")))
        .expect("dir")
        .count();
    let calendar = 1 + super::super::kept::ordered_columns().count();
    assert_eq!(files, PARTS.len() + 1 + calendar);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_snapshot_of_another_version_or_database_is_not_used() {
    let (store, dir) = store("snap-other");
    let snap = snapshot_dir(&dir.join("db"));
    Dataset::open(&store).expect("write");
    edit_manifest(&snap, |m| m["secdesk"] = "0.0.1".into());
    let (_, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("open");
    assert_eq!(reason(&opened), "written by secdesk 0.0.1");
    edit_manifest(&snap, |m| m["data"]["database"] = "another".into());
    let (_, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("open");
    assert_eq!(reason(&opened), "of another database");
    edit_manifest(&snap, |m| m["format"] = 0.into());
    let (_, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("open");
    assert!(reason(&opened).starts_with("written by"), "{opened:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_truncated_or_bit_flipped_snapshot_is_rebuilt_never_read() {
    let (store, dir) = store("snap-damaged");
    let snap = snapshot_dir(&dir.join("db"));
    let direct = Dataset::load(&store).expect("sqlite");
    Dataset::open(&store).expect("write");
    // Truncated.
    let tickets = part_path(&snap, "tickets");
    let bytes = std::fs::read(&tickets).expect("read");
    std::fs::write(&tickets, &bytes[..bytes.len() / 2]).expect("truncate");
    let (ds, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("open");
    assert!(reason(&opened).starts_with("damaged"), "{opened:?}");
    assert_same(&direct, &ds);
    // One bit flipped in the middle of every frame in turn: the same size,
    // an Arrow file that may still read, a checksum that does not hold.
    for name in PARTS {
        let path = part_path(&snap, name);
        let mut bytes = std::fs::read(&path).expect("read");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x10;
        std::fs::write(&path, &bytes).expect("flip");
        let (ds, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("open");
        assert!(reason(&opened).contains("checksum"), "{name}: {opened:?}");
        assert_same(&direct, &ds);
    }
    // A flipped bit in the manifest: the latest instant or a dictionary
    // value could change a number.
    let manifest = snap.join(MANIFEST);
    let mut bytes = std::fs::read(&manifest).expect("manifest");
    let at = bytes.len() - 20;
    bytes[at] ^= 0x01;
    std::fs::write(&manifest, &bytes).expect("flip");
    let (ds, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("open");
    assert!(reason(&opened).starts_with("damaged"), "{opened:?}");
    assert_same(&direct, &ds);
    // A file of the manifest gone.
    std::fs::remove_file(part_path(&snap, "surveys")).expect("remove");
    let (_, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("open");
    assert!(reason(&opened).starts_with("damaged"), "{opened:?}");
    assert_eq!(
        Dataset::open_with(&store, SnapshotUse::ReadWrite)
            .expect("open")
            .1,
        Opened::Snapshot
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn turned_off_neither_reads_nor_writes_a_snapshot() {
    let (store, dir) = store("snap-off");
    let (_, opened) = Dataset::open_with(&store, SnapshotUse::Off).expect("open");
    assert_eq!(opened, Opened::Direct);
    assert!(!snapshot_dir(&dir.join("db")).exists());
    let memory = Store::open_in_memory().expect("memory");
    assert_eq!(
        Dataset::open_with(&memory, SnapshotUse::ReadWrite)
            .expect("memory")
            .1,
        Opened::Direct
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_generation_moves_with_every_import_and_forget_only() {
    let (mut store, dir) = store("snap-generation");
    let g = |s: &Store| s.data_generation().expect("generation");
    let start = g(&store);
    store.set_setting("number_locale", "de").expect("setting");
    assert_eq!(g(&store), start, "a setting is not data");
    // The last import is the event log: tickets.
    let last = store.imports().expect("imports").last().expect("one").id;
    store.forget(last).expect("forget");
    let after = g(&store);
    assert_eq!(after.database, start.database);
    assert!(after.generation > start.generation);
    assert!(after.tickets_generation > start.tickets_generation);
    // The first imports were tickets then responses: forgetting the
    // responses moves the data's generation, not the tickets'.
    let surveys = store.imports().expect("imports")[1].id;
    store.forget(surveys).expect("forget");
    let later = g(&store);
    assert!(later.generation > after.generation);
    assert_eq!(later.tickets_generation, after.tickets_generation);
    let other = Store::open_in_memory().expect("memory");
    assert_ne!(g(&other).database, start.database);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_survey_import_or_forget_keeps_the_tickets_files_and_reads_the_responses_again() {
    let (mut store, dir) = store("snap-responses");
    let snap = snapshot_dir(&dir.join("db"));
    Dataset::open(&store).expect("write");
    let tickets_file = part_path(&snap, "tickets");
    let written_at = std::fs::metadata(&tickets_file)
        .expect("meta")
        .modified()
        .expect("mtime");
    let csat =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/vendors/zendesk_csat.csv");
    import_surveys(&mut store, &csat);
    let (ds, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("open");
    assert_eq!(opened, Opened::Responses { written: Ok(()) });
    assert_same(&Dataset::load(&store).expect("sqlite"), &ds);
    // The tickets' file was not written again; the next open reads it all.
    assert_eq!(part_path(&snap, "tickets"), tickets_file);
    let again = std::fs::metadata(&tickets_file)
        .expect("meta")
        .modified()
        .expect("mtime");
    assert_eq!(again, written_at);
    assert_eq!(
        Dataset::open_with(&store, SnapshotUse::ReadWrite)
            .expect("open")
            .1,
        Opened::Snapshot
    );
    // Forgetting the responses: the same.
    let last = store.imports().expect("imports").last().expect("one").id;
    store.forget(last).expect("forget");
    let (ds, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("open");
    assert_eq!(opened, Opened::Responses { written: Ok(()) });
    assert_same(&Dataset::load(&store).expect("sqlite"), &ds);
    // A damaged tickets' file is found on that path too.
    crate::ingest::import_survey_file(
        &mut store,
        &csat,
        &crate::ingest::SurveyOptions::default(),
        "again",
        &mut |_, _| true,
    )
    .expect("responses");
    let mut bytes = std::fs::read(&tickets_file).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x04;
    std::fs::write(&tickets_file, &bytes).expect("flip");
    let (ds, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("open");
    assert!(reason(&opened).contains("checksum"), "{opened:?}");
    assert_same(&Dataset::load(&store).expect("sqlite"), &ds);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The tickets per source a dataset read (kept in the snapshot) give the
/// coverage SQLite counts: after imports that replace one another's
/// tickets, and after forgetting one.
#[test]
fn the_tickets_per_source_read_give_the_coverage_sqlite_counts() {
    use crate::coverage::{coverage, coverage_of};
    let (mut store, dir) = store("snap-sources");
    let lines: Vec<String> = std::fs::read_to_string(dir.join("t.csv"))
        .expect("csv")
        .lines()
        .map(String::from)
        .collect();
    // Two more files of the same source: tickets 1–40, then 21–60 (which
    // replace 21–40 of the first).
    let part = |name: &str, rows: std::ops::Range<usize>| {
        let path = dir.join(name);
        let mut text = lines[0].clone() + "\n";
        for line in &lines[rows] {
            text += line;
            text += "\n";
        }
        std::fs::write(&path, text).expect("write");
        path
    };
    for (name, rows) in [("a.csv", 1..41), ("b.csv", 21..61)] {
        import_tickets(&mut store, &part(name, rows), Some("second"));
    }
    let ids: Vec<i64> = store
        .imports()
        .expect("imports")
        .iter()
        .map(|i| i.id)
        .collect();
    let (a, b) = (ids[ids.len() - 2], ids[ids.len() - 1]);
    let check = |store: &Store, expected_second: (i64, i64)| {
        let (ds, _) = Dataset::open_with(store, SnapshotUse::ReadWrite).expect("open");
        let (again, opened) = Dataset::open_with(store, SnapshotUse::ReadWrite).expect("again");
        assert_eq!(opened, Opened::Snapshot);
        let sources = again.sources();
        let tickets = sources.tickets.expect("read from a store");
        let second = tickets
            .iter()
            .find(|s| s.source == "second")
            .expect("second");
        assert_eq!((second.rows, second.latest_import), expected_second);
        assert!(sources.surveys.is_some_and(|s| !s.is_empty()));
        let counted = coverage(store).expect("sqlite");
        assert_eq!(coverage_of(store, ds.sources()).expect("read"), counted);
        assert_eq!(coverage_of(store, sources).expect("snapshot"), counted);
    };
    check(&store, (60, b));
    store.forget(b).expect("forget");
    // Tickets 21–60 went with the second file: 1–20 are left.
    check(&store, (20, a));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The refresh after a survey import or forget reads only the tickets' ids
/// (every byte still checked) and writes the responses again: the next open
/// is the snapshot, with the data SQLite holds.
#[test]
fn a_refresh_after_responses_changed_reads_only_the_tickets_ids() {
    let (mut store, dir) = store("snap-refresh");
    let snap = snapshot_dir(&dir.join("db"));
    assert_eq!(
        reason(&Dataset::refresh_snapshot(&mut store).expect("first")),
        "missing"
    );
    let tickets_file = part_path(&snap, "tickets");
    let mtime = |p: &Path| {
        std::fs::metadata(p)
            .expect("meta")
            .modified()
            .expect("mtime")
    };
    let written_at = mtime(&tickets_file);
    let csat =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/vendors/zendesk_csat.csv");
    let import = |store: &mut Store, at: &str| {
        crate::ingest::import_survey_file(
            store,
            &csat,
            &crate::ingest::SurveyOptions::default(),
            at,
            &mut |_, _| true,
        )
        .expect("responses");
    };
    let check = |store: &Store| {
        let (ds, opened) = Dataset::open_with(store, SnapshotUse::ReadWrite).expect("open");
        assert_eq!(opened, Opened::Snapshot);
        assert_same(&Dataset::load(store).expect("sqlite"), &ds);
    };
    import(&mut store, "now");
    let responses = Opened::Responses { written: Ok(()) };
    assert_eq!(
        Dataset::refresh_snapshot(&mut store).expect("refresh"),
        responses
    );
    check(&store);
    assert_eq!(
        mtime(&tickets_file),
        written_at,
        "the tickets' file is kept"
    );
    let last = store.imports().expect("imports").last().expect("one").id;
    store.forget(last).expect("forget");
    assert_eq!(
        Dataset::refresh_snapshot(&mut store).expect("forget"),
        responses
    );
    check(&store);
    // A damaged tickets' file: the whole snapshot is rebuilt.
    import(&mut store, "again");
    let mut bytes = std::fs::read(&tickets_file).expect("read");
    let middle = bytes.len() / 3;
    bytes[middle] ^= 0x01;
    std::fs::write(&tickets_file, &bytes).expect("flip");
    let opened = Dataset::refresh_snapshot(&mut store).expect("damaged");
    assert!(reason(&opened).contains("checksum"), "{opened:?}");
    check(&store);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A ticket file written in an order of its own: `order` maps the data rows.
fn tickets_csv(dir: &Path, name: &str, tickets: usize, order: impl Fn(&mut Vec<&str>)) -> PathBuf {
    let data = crate::samples::generate(&crate::samples::SampleSpec {
        tickets,
        seed: 5,
        end: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
        survey_share: 0.3,
    });
    let (t, s) = (dir.join("gen-t.csv"), dir.join("gen-s.csv"));
    crate::samples::write_csv(&data, &t, &s).expect("csv");
    let text = std::fs::read_to_string(&t).expect("read");
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    order(&mut lines);
    let path = dir.join(name);
    std::fs::write(&path, format!("{header}\n{}\n", lines.join("\n"))).expect("write");
    path
}

/// The first ticket import into an empty database gives the frames from the
/// rows it wrote — put in key order, as the store reads them back — and
/// they are what reading them back gives: a file out of id order, an event
/// log (updates and waits), responses stored before the tickets.
#[test]
fn a_first_import_gives_the_frames_reading_it_back_gives() {
    let dir = std::env::temp_dir().join(format!("secdesk-snap-imported-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let shuffled = tickets_csv(&dir, "shuffled.csv", 3_000, |rows| {
        rows.reverse();
        rows.rotate_left(1_234);
    });
    let events = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/sla/events.csv");
    let surveys = dir.join("gen-s.csv");
    for (k, file) in [&shuffled, &events].into_iter().enumerate() {
        let db = dir.join(format!("first-{k}.db"));
        let mut store = Store::open(&db).expect("db");
        if k == 0 {
            import_surveys(&mut store, &surveys);
        }
        Dataset::watch_imports(&mut store);
        import_tickets(&mut store, file, Some("first"));
        let (imported, opened) =
            Dataset::open_after_import(&mut store, SnapshotUse::ReadWrite).expect("imported");
        assert_eq!(opened, Opened::Imported { written: Ok(()) }, "{k}");
        let direct = Dataset::load(&store).expect("sqlite");
        assert_same(&direct, &imported);
        if k == 0 {
            assert!(direct.surveys.height() > 0);
        } else {
            assert!(direct.updates.height() > 0 && direct.pauses.height() > 0);
        }
        // The snapshot written from those rows is the data's.
        let (again, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("again");
        assert_eq!(opened, Opened::Snapshot);
        assert_same(&direct, &again);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Where the rows written are not what the store holds, the store is read:
/// a repeated id (the later row replaced the earlier one), a second import,
/// an import that was not watched.
#[test]
fn an_import_that_is_not_the_whole_store_is_read_back() {
    let dir =
        std::env::temp_dir().join(format!("secdesk-snap-not-imported-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let repeated = tickets_csv(&dir, "repeated.csv", 500, |rows| {
        let again = rows[7];
        rows.push(again);
    });
    let plain = tickets_csv(&dir, "plain.csv", 400, |_| {});
    let mut store = Store::open(&dir.join("repeated.db")).expect("db");
    Dataset::watch_imports(&mut store);
    import_tickets(&mut store, &repeated, Some("a"));
    let opened = Dataset::refresh_snapshot(&mut store).expect("repeated");
    assert_eq!(reason(&opened), "missing");
    let (ds, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite).expect("open");
    assert_eq!(opened, Opened::Snapshot);
    assert_same(&Dataset::load(&store).expect("sqlite"), &ds);
    assert_eq!(ds.ticket_count(), 500);
    // A second import: the store held the first one's tickets.
    Dataset::watch_imports(&mut store);
    import_tickets(&mut store, &plain, Some("b"));
    let opened = Dataset::refresh_snapshot(&mut store).expect("second");
    assert!(reason(&opened).starts_with("stale"), "{opened:?}");
    // Not watched: read back.
    let mut store = Store::open(&dir.join("unwatched.db")).expect("db");
    import_tickets(&mut store, &plain, Some("b"));
    let opened = Dataset::refresh_snapshot(&mut store).expect("unwatched");
    assert_eq!(reason(&opened), "missing");
    let _ = std::fs::remove_dir_all(&dir);
}
