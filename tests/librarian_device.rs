#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Detection, edit-buffer, program and bank flows against simulated devices on the
//! transport trait: well-behaved, slow, silent, garbage, echoing thru, vanishing.

use octa::librarian::Adaptation;
use octa::librarian::builtin::{Blofeld, RolandJv1080, YamahaDx7};
use octa::librarian::device::{
    Cancel, DeviceError, Found, Link, SendTarget, Timing, detect, fetch_bank, fetch_edit_buffer,
    fetch_programs, send_patch,
};
use octa::librarian::file::read_messages;
use octa::midi::transport::{
    ChannelIn, ChannelOut, MidiError, MidiIn, MidiOut, MidiSystem, channel_pair,
};
use octa::testutil::corpus;
use std::collections::HashMap;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// How a simulated device misbehaves.
#[derive(Clone, Copy)]
enum Mode {
    Good,
    Slow(Duration),
    Silent,
    Garbage,
    /// A MIDI thru loop: everything sent comes straight back.
    Echo,
    /// Answers this many requests, then its ports disappear.
    VanishAfter(usize),
}

type Responder = Arc<dyn Fn(&[u8]) -> Vec<Vec<u8>> + Send + Sync>;

/// Starts a device thread; returns the host's ends (out to the device, in from it).
fn spawn(name: &str, mode: Mode, respond: Responder) -> (ChannelOut, ChannelIn) {
    let (host_out, mut dev_in) = channel_pair(name);
    let (mut dev_out, host_in) = channel_pair(name);
    thread::spawn(move || {
        let mut answered = 0usize;
        loop {
            let m = match dev_in.recv_timeout(Duration::from_millis(20)) {
                Ok(Some(m)) => m,
                Ok(None) => continue,
                Err(_) => return, // host closed
            };
            match mode {
                Mode::Silent => {}
                Mode::Echo => {
                    if dev_out.send(&m.bytes).is_err() {
                        return;
                    }
                }
                Mode::Garbage => {
                    for g in [
                        vec![0xF0, 0x3E, 0x13, 0x00, 0x10, 0x00, 0x00, 0x01, 0xF7],
                        vec![0x90, 60, 100],
                        vec![0xF0, 0x00, 0x01, 0x02, 0xF7],
                    ] {
                        if dev_out.send(&g).is_err() {
                            return;
                        }
                    }
                }
                Mode::Good | Mode::Slow(_) | Mode::VanishAfter(_) => {
                    if let Mode::VanishAfter(n) = mode
                        && answered >= n
                    {
                        return; // drops both ports
                    }
                    if let Mode::Slow(d) = mode {
                        thread::sleep(d);
                    }
                    let replies = respond(&m.bytes);
                    if !replies.is_empty() {
                        answered += 1;
                    }
                    for r in replies {
                        if dev_out.send(&r).is_err() {
                            return;
                        }
                    }
                }
            }
        }
    });
    (host_out, host_in)
}

/// A MIDI system made of simulated ports.
#[derive(Default)]
struct SimSystem {
    outs: HashMap<String, ChannelOut>,
    ins: HashMap<String, ChannelIn>,
    order: Vec<String>,
}

impl SimSystem {
    fn add(&mut self, name: &str, mode: Mode, respond: Responder) {
        let (o, i) = spawn(name, mode, respond);
        self.outs.insert(name.into(), o);
        self.ins.insert(name.into(), i);
        self.order.push(name.into());
    }
}

impl MidiSystem for SimSystem {
    fn outputs(&self) -> Result<Vec<String>, MidiError> {
        Ok(self.order.clone())
    }
    fn inputs(&self) -> Result<Vec<String>, MidiError> {
        Ok(self.order.clone())
    }
    fn open_out(&mut self, name: &str) -> Result<Box<dyn MidiOut>, MidiError> {
        self.outs
            .remove(name)
            .map(|o| Box::new(o) as Box<dyn MidiOut>)
            .ok_or_else(|| MidiError::NoSuchPort(name.into()))
    }
    fn open_in(&mut self, name: &str) -> Result<Box<dyn MidiIn>, MidiError> {
        self.ins
            .remove(name)
            .map(|i| Box::new(i) as Box<dyn MidiIn>)
            .ok_or_else(|| MidiError::NoSuchPort(name.into()))
    }
}

fn fast() -> Timing {
    Timing {
        reply_timeout: Duration::from_millis(150),
        retries: 1,
        item_limit: Duration::from_secs(5),
        detect_limit: Duration::from_millis(300),
    }
}

/// A Blofeld holding the corpus factory bank; answers identity, sound and edit requests.
///
/// `None` only when the whole corpus is absent (and `CI` is not set, see
/// `testutil::corpus`); a corpus without this dump, or a dump that cannot be read, fails
/// the test instead of letting it pass having done nothing.
fn blofeld_responder() -> Option<Responder> {
    let path = corpus("sysex/waldorf-blofeld/Waldorf_Blofeld_Blo Factory_2008.syx")?;
    let sounds = read_messages(&path)
        .unwrap_or_else(|e| panic!("the corpus is present but its Blofeld dump is not usable: {e}"))
        .messages;
    assert_eq!(sounds.len(), 1024, "{}: the factory bank", path.display());
    Some(Arc::new(move |req: &[u8]| -> Vec<Vec<u8>> {
        if req == [0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7] {
            return vec![vec![
                0xF0, 0x7E, 0x00, 0x06, 0x02, 0x3E, 0x13, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04,
                0xF7,
            ]];
        }
        if req.len() == 9 && req[..5] == [0xF0, 0x3E, 0x13, 0x00, 0x00] {
            let (bank, prog) = (req[5], req[6]);
            if bank == 0x7F {
                let b = Blofeld;
                return b
                    .edit_buffer()
                    .and_then(|e| e.convert_to_edit_buffer(0, &sounds[0]))
                    .into_iter()
                    .collect();
            }
            return sounds
                .get(usize::from(bank) * 128 + usize::from(prog))
                .cloned()
                .into_iter()
                .collect();
        }
        Vec::new()
    }))
}

fn link(name: &str, mode: Mode, respond: Responder) -> Link {
    let (out, inp) = spawn(name, mode, respond);
    Link {
        out: Box::new(out),
        inp: Box::new(inp),
        channel: 0,
    }
}

/// A test adaptation whose detect request looks like its own reply (echo-prone).
struct EchoProne;
impl Adaptation for EchoProne {
    fn name(&self) -> String {
        "Echo prone".into()
    }
    fn create_device_detect_message(&self, channel: u8) -> Vec<u8> {
        vec![0xF0, 0x7D, 0x01, channel, 0xF7]
    }
    fn channel_if_valid_device_response(&self, m: &[u8]) -> Option<u8> {
        (m.len() >= 5 && m[..3] == [0xF0, 0x7D, 0x01]).then_some(m[3] & 0x0F)
    }
    fn device_detect_wait_ms(&self) -> u64 {
        100
    }
}

#[test]
fn detection_finds_the_device_and_ignores_echoes_and_silence() {
    let Some(blofeld) = blofeld_responder() else {
        return;
    };
    let mut sys = SimSystem::default();
    sys.add("Thru loop", Mode::Echo, Arc::new(|_| Vec::new()));
    sys.add("Dead port", Mode::Silent, Arc::new(|_| Vec::new()));
    sys.add("Synth port", Mode::Good, blofeld);
    // The echo-prone synth answers only on channel 5.
    sys.add(
        "Echo synth",
        Mode::Good,
        Arc::new(|m: &[u8]| {
            if m.len() == 5 && m[..3] == [0xF0, 0x7D, 0x01] && m[3] == 5 {
                vec![vec![0xF0, 0x7D, 0x01, 5, 0x55, 0xF7]]
            } else {
                Vec::new()
            }
        }),
    );
    let adaptations: Vec<Arc<dyn Adaptation>> = vec![Arc::new(Blofeld), Arc::new(EchoProne)];
    let mut seen = Vec::new();
    let t = Instant::now();
    let found = detect(&mut sys, &adaptations, &fast(), &Cancel::new(), &mut |p| {
        seen.push(p)
    });
    assert!(t.elapsed() < Duration::from_secs(10));
    let found = found.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        found,
        vec![
            Found {
                device: "Waldorf Blofeld".into(),
                out_port: "Synth port".into(),
                in_port: "Synth port".into(),
                channel: 0
            },
            Found {
                device: "Echo prone".into(),
                out_port: "Echo synth".into(),
                in_port: "Echo synth".into(),
                channel: 5
            }
        ]
    );
    // One progress report per adaptation and port.
    assert_eq!(seen.len(), 8);
}

#[test]
fn detection_can_be_cancelled() {
    let mut sys = SimSystem::default();
    sys.add("Dead port", Mode::Silent, Arc::new(|_| Vec::new()));
    let cancel = Cancel::new();
    cancel.cancel();
    let adaptations: Vec<Arc<dyn Adaptation>> = vec![Arc::new(Blofeld)];
    let r = detect(&mut sys, &adaptations, &fast(), &cancel, &mut |_| {});
    assert_eq!(r, Err(DeviceError::Cancelled));
}

#[test]
fn fetch_edit_buffer_and_programs_from_a_good_device() {
    let Some(blofeld) = blofeld_responder() else {
        return;
    };
    let mut l = link("Blofeld", Mode::Good, blofeld);
    let a = Blofeld;
    let eb =
        fetch_edit_buffer(&mut l, &a, &fast(), &Cancel::new()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(eb.name, "With Love    WMF");
    let mut reports = 0;
    let r = fetch_programs(
        &mut l,
        &a,
        &[0, 1, 128, 1023],
        &fast(),
        &Cancel::new(),
        &mut |_| reports += 1,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(r.missing.is_empty() && r.error.is_none());
    let names: Vec<&str> = r.patches.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "With Love    WMF",
            "ScaramangAtmo  T",
            "Flups Bass    ST",
            "Zwitscher 1     "
        ]
    );
    assert_eq!(r.patches[2].number, Some(128));
    assert_eq!(reports, 5);
}

#[test]
fn slow_device_within_timeout_is_fine_beyond_it_times_out() {
    let Some(blofeld) = blofeld_responder() else {
        return;
    };
    let a = Blofeld;
    let mut l = link(
        "slow",
        Mode::Slow(Duration::from_millis(50)),
        blofeld.clone(),
    );
    let r = fetch_programs(&mut l, &a, &[5, 6], &fast(), &Cancel::new(), &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.patches.len(), 2);
    let mut l = link("too slow", Mode::Slow(Duration::from_millis(400)), blofeld);
    let t = Instant::now();
    let r = fetch_programs(&mut l, &a, &[5], &fast(), &Cancel::new(), &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(t.elapsed() < Duration::from_secs(5));
    // The late answer to the first request may satisfy the retry; either it arrived or it is
    // reported missing with a timeout.
    assert_eq!(r.patches.len() + r.missing.len(), 1);
}

#[test]
fn silent_and_garbage_devices_give_timeouts_not_hangs() {
    let a = Blofeld;
    for mode in [Mode::Silent, Mode::Garbage] {
        let mut l = link("bad", mode, Arc::new(|_| Vec::new()));
        let t = Instant::now();
        let r = fetch_programs(&mut l, &a, &[0, 1, 2], &fast(), &Cancel::new(), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(t.elapsed() < Duration::from_secs(10));
        assert!(r.patches.is_empty());
        assert_eq!(r.missing, vec![0, 1, 2]);
        let msg = r.error.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("Waldorf Blofeld: no answer to the request for program A003 within 150 ms (after 2 attempt(s))"),
            "{msg}"
        );
        let e = fetch_edit_buffer(&mut l, &a, &fast(), &Cancel::new());
        assert!(matches!(e, Err(DeviceError::Timeout { attempts: 2, .. })));
    }
}

#[test]
fn echoing_thru_does_not_count_as_an_answer() {
    let a = Blofeld;
    let mut l = link("thru", Mode::Echo, Arc::new(|_| Vec::new()));
    let r = fetch_programs(&mut l, &a, &[0], &fast(), &Cancel::new(), &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.missing, vec![0]);
}

#[test]
fn a_port_vanishing_mid_dump_stops_with_what_arrived() {
    let Some(blofeld) = blofeld_responder() else {
        return;
    };
    let a = Blofeld;
    let mut l = link("vanishing", Mode::VanishAfter(3), blofeld);
    let t = Instant::now();
    let numbers: Vec<u32> = (0..10).collect();
    let r = fetch_programs(&mut l, &a, &numbers, &fast(), &Cancel::new(), &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(t.elapsed() < Duration::from_secs(5));
    assert_eq!(r.patches.len(), 3);
    assert_eq!(r.missing, (3..10).collect::<Vec<u32>>());
    assert_eq!(
        r.error,
        Some(DeviceError::Midi(MidiError::Disconnected(
            "vanishing".into()
        )))
    );
}

#[test]
fn cancel_stops_a_fetch() {
    let a = Blofeld;
    let mut l = link("silent", Mode::Silent, Arc::new(|_| Vec::new()));
    let cancel = Cancel::new();
    let c2 = cancel.clone();
    let r = fetch_programs(&mut l, &a, &[0, 1, 2, 3], &fast(), &cancel, &mut |p| {
        if matches!(
            p,
            octa::librarian::device::Progress::Fetching { done: 1, .. }
        ) {
            c2.cancel();
        }
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.error, Some(DeviceError::Cancelled));
    assert_eq!(r.missing, vec![0, 1, 2, 3]);
}

#[test]
fn bank_by_bank_dump_and_program_by_program() {
    // DX7: one bulk request answers the whole bank.
    let Some(path) = corpus("sysex/yamaha-dx7/yamahaDX7-ROM2B.SYX") else {
        return;
    };
    let bank = read_messages(&path)
        .unwrap_or_else(|e| panic!("the corpus is present but its DX7 dump is not usable: {e}"))
        .messages;
    let dx = YamahaDx7::dx7();
    let mut l = link(
        "dx7",
        Mode::Good,
        Arc::new(move |req: &[u8]| {
            if req == [0xF0, 0x43, 0x20, 0x09, 0xF7] {
                bank.clone()
            } else {
                Vec::new()
            }
        }),
    );
    let r = fetch_bank(&mut l, &dx, 0, &fast(), &Cancel::new(), &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.patches.len(), 32);
    assert_eq!(r.patches[31].name, "EXPLOSION ");
    // Blofeld: no bank request, so bank B is fetched program by program.
    let Some(blofeld) = blofeld_responder() else {
        return;
    };
    let mut l = link("blofeld", Mode::Good, blofeld);
    let r = fetch_bank(&mut l, &Blofeld, 1, &fast(), &Cancel::new(), &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.patches.len(), 128);
    assert_eq!(r.patches[0].name, "Flups Bass    ST");
    assert_eq!(r.patches[0].number, Some(128));
}

#[test]
fn multi_message_program_dumps_arrive_whole() {
    let Some(path) = corpus("sysex/roland-jv1080/JV1080_AGSOUND1.SYX") else {
        return;
    };
    let messages = read_messages(&path).map(|m| m.messages).unwrap_or_default();
    let jv = RolandJv1080;
    let mut l = link(
        "jv",
        Mode::Good,
        Arc::new(move |req: &[u8]| {
            // RQ1 for user patch pp: answer its five DT1 messages, after some noise.
            if req.len() == 15 && req[4] == 0x11 && req[5] == 0x11 {
                let pp = usize::from(req[6]);
                let mut out = vec![vec![0xFE], vec![0xF0, 0x41, 0x10, 0x6A, 0x12, 0xF7]];
                out.extend(messages.iter().skip(pp * 5).take(5).cloned());
                out
            } else {
                Vec::new()
            }
        }),
    );
    let r = fetch_programs(&mut l, &jv, &[0, 45], &fast(), &Cancel::new(), &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(r.missing.is_empty(), "{:?}", r.error);
    assert_eq!(r.patches[0].name, "RedPowerBass");
    assert_eq!(r.patches[1].name, "Rave Organ 3");
    assert_eq!(r.patches[1].number, Some(45));
    assert_eq!(r.messages.len(), 10);
}

#[test]
fn send_to_edit_buffer_and_slot_with_delay() {
    let Some(path) = corpus("sysex/roland-jv1080/JV1080_AGSOUND1.SYX") else {
        return;
    };
    let messages = read_messages(&path).map(|m| m.messages).unwrap_or_default();
    let patch: Vec<u8> = messages[..5].concat();
    let jv = RolandJv1080;
    let (mut out, mut inp) = channel_pair("jv");
    let n = send_patch(
        &mut out,
        &jv,
        &patch,
        3,
        SendTarget::EditBuffer,
        &Cancel::new(),
        &mut |_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(n, 5);
    let mut got = Vec::new();
    while let Ok(Some(m)) = inp.recv_timeout(Duration::from_millis(10)) {
        got.push(m);
    }
    assert_eq!(got.len(), 5);
    assert!(got.iter().all(|m| m.bytes[2] == 0x13 && m.bytes[5] == 0x03));
    // The adaptation's 50 ms delay separates the messages.
    assert!(got[4].at.duration_since(got[0].at) >= Duration::from_millis(200));
    let n = send_patch(
        &mut out,
        &jv,
        &patch,
        0,
        SendTarget::Program(17),
        &Cancel::new(),
        &mut |_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(n, 5);
    let first = inp.recv_timeout(Duration::from_millis(10)).ok().flatten();
    assert_eq!(first.map(|m| m.bytes[5..7].to_vec()), Some(vec![0x11, 17]));
    // DX7 has no program-dump capability: storing to a slot is refused clearly.
    let dx = YamahaDx7::dx7();
    let e = send_patch(
        &mut out,
        &dx,
        &patch,
        0,
        SendTarget::Program(1),
        &Cancel::new(),
        &mut |_| {},
    );
    assert_eq!(
        e.err().map(|e| e.to_string()).as_deref(),
        Some("Yamaha DX7: storing to a program slot is not supported by this adaptation")
    );
}

/// The tests that need the Blofeld dump fail, not pass, when the corpus is present without
/// it: each is run in a child process against an empty corpus folder.
#[test]
fn blofeld_tests_fail_loudly_without_the_dump() {
    if std::env::var_os("OCTA_CHILD_EMPTY_CORPUS").is_some() {
        return; // this test's own child run
    }
    let empty = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    for name in [
        "detection_finds_the_device_and_ignores_echoes_and_silence",
        "fetch_edit_buffer_and_programs_from_a_good_device",
        "slow_device_within_timeout_is_fine_beyond_it_times_out",
        "a_port_vanishing_mid_dump_stops_with_what_arrived",
        "bank_by_bank_dump_and_program_by_program",
    ] {
        let o = std::process::Command::new(&exe)
            .args(["--exact", name, "--test-threads", "1"])
            .env("OCTA_CORPUS", empty.path())
            .env("OCTA_CHILD_EMPTY_CORPUS", "1")
            .env_remove("CI")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            !o.status.success(),
            "{name} passed without the dump: {text}"
        );
        assert!(
            // `testutil::corpus` refuses the missing file before the dump is read.
            text.contains("1 failed")
                && text.contains("a missing file fails the test rather than skipping it"),
            "{name}: {text}"
        );
    }
}
