//! Talking to synths over the MIDI transport trait: detection on every output, fetching
//! edit buffers, programs and banks, and sending patches. Every wait has a deadline, every
//! request a bounded retry, and every flow reports progress and honours a cancel flag.

use super::adaptation::{
    Adaptation, PartOf, Patch, PatchKind, bank_start, load_patches, make_patch,
};
use super::sysex;
use crate::midi::transport::{MidiError, MidiIn, MidiOut, MidiSystem};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use thiserror::Error;

/// A device flow that failed.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DeviceError {
    /// The MIDI transport failed (no MIDI, port vanished ...).
    #[error(transparent)]
    Midi(#[from] MidiError),
    /// The user cancelled.
    #[error("cancelled")]
    Cancelled,
    /// Nothing useful arrived in time.
    #[error("{device}: no answer to {what} within {waited_ms} ms (after {attempts} attempt(s))")]
    Timeout {
        /// The device.
        device: String,
        /// What was asked for.
        what: String,
        /// Milliseconds waited per attempt.
        waited_ms: u64,
        /// Requests sent.
        attempts: u32,
    },
    /// The adaptation cannot do this.
    #[error("{device}: {what} is not supported by this adaptation")]
    Unsupported {
        /// The device.
        device: String,
        /// The missing capability.
        what: String,
    },
    /// The device was not found on any port.
    #[error(
        "{0} was not found on any MIDI port (is it connected, sysex enabled, the device id right?)"
    )]
    NotFound(String),
}

/// A shared cancel flag (clone it into the UI; set it to stop a flow at the next step).
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A fresh, unset flag.
    pub fn new() -> Self {
        Self::default()
    }
    /// Asks the flow to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// True once cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Progress reports of the flows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Detection: probing output `port` (index `done` of `total`).
    Probing {
        /// The adaptation.
        device: String,
        /// The output port.
        port: String,
        /// Ports done.
        done: usize,
        /// Ports in all.
        total: usize,
    },
    /// Fetch: `done` of `total` items handled (arrived or given up).
    Fetching {
        /// Items done.
        done: usize,
        /// Items in all.
        total: usize,
    },
    /// Send: `done` of `total` messages sent.
    Sending {
        /// Messages sent.
        done: usize,
        /// Messages in all.
        total: usize,
    },
}

/// Deadlines and retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// How long to wait for the next useful message before resending / giving up.
    pub reply_timeout: Duration,
    /// Extra requests after the first one fails.
    pub retries: u32,
    /// Hard cap for one item (a whole program or bank), however chatty the device is.
    pub item_limit: Duration,
    /// Cap on a detection wait per port (the adaptation's wait is clamped to it).
    pub detect_limit: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            reply_timeout: Duration::from_millis(2000),
            retries: 2,
            item_limit: Duration::from_secs(120),
            detect_limit: Duration::from_secs(5),
        }
    }
}

/// Where a device answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The adaptation's name.
    pub device: String,
    /// The output port the request went out on.
    pub out_port: String,
    /// The input port the reply came in on.
    pub in_port: String,
    /// The channel the device reported.
    pub channel: u8,
}

const POLL: Duration = Duration::from_millis(5);

fn sleep_cancellable(d: Duration, cancel: &Cancel) -> Result<(), DeviceError> {
    let end = Instant::now() + d;
    while Instant::now() < end {
        if cancel.is_cancelled() {
            return Err(DeviceError::Cancelled);
        }
        std::thread::sleep((end - Instant::now()).min(Duration::from_millis(10)));
    }
    Ok(())
}

/// Probes every output with each adaptation's detect messages and listens on every input.
///
/// Replies identical to a request we sent (a MIDI thru loop echoing us) are ignored. Inputs
/// that vanish are dropped; outputs that fail are skipped. Returns every location found.
pub fn detect(
    system: &mut dyn MidiSystem,
    adaptations: &[Arc<dyn Adaptation>],
    timing: &Timing,
    cancel: &Cancel,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<Found>, DeviceError> {
    let out_names = system.outputs()?;
    let in_names = system.inputs()?;
    let mut inputs: Vec<Box<dyn MidiIn>> = Vec::new();
    for n in &in_names {
        if let Ok(i) = system.open_in(n) {
            inputs.push(i);
        }
    }
    let mut outputs: Vec<Box<dyn MidiOut>> = Vec::new();
    for n in &out_names {
        if let Ok(o) = system.open_out(n) {
            outputs.push(o);
        }
    }
    let mut found: Vec<Found> = Vec::new();
    for a in adaptations {
        if a.device_detect_wait_ms() == 0 {
            continue;
        }
        let requests: Vec<Vec<u8>> = if a.needs_channel_specific_detection() {
            (0..16).map(|c| a.create_device_detect_message(c)).collect()
        } else {
            vec![a.create_device_detect_message(super::adaptation::OMNI)]
        };
        let requests: Vec<Vec<u8>> = requests
            .into_iter()
            .flat_map(|r| sysex::messages(&r))
            .collect();
        if requests.is_empty() {
            continue;
        }
        let total = outputs.len();
        for (done, out) in outputs.iter_mut().enumerate() {
            if cancel.is_cancelled() {
                return Err(DeviceError::Cancelled);
            }
            progress(Progress::Probing {
                device: a.name(),
                port: out.name().to_string(),
                done,
                total,
            });
            drain(&mut inputs);
            let mut sent_ok = true;
            for r in &requests {
                if out.send(r).is_err() {
                    sent_ok = false;
                    break;
                }
            }
            if !sent_ok {
                continue;
            }
            let wait = Duration::from_millis(a.device_detect_wait_ms()).min(timing.detect_limit);
            let end = Instant::now() + wait;
            while Instant::now() < end {
                if cancel.is_cancelled() {
                    return Err(DeviceError::Cancelled);
                }
                let mut k = 0;
                while k < inputs.len() {
                    match inputs[k].recv_timeout(POLL) {
                        Ok(Some(m)) => {
                            if requests.contains(&m.bytes) {
                                k += 1;
                                continue; // our own request echoed back
                            }
                            if let Some(channel) = a.channel_if_valid_device_response(&m.bytes) {
                                let f = Found {
                                    device: a.name(),
                                    out_port: out.name().to_string(),
                                    in_port: inputs[k].name().to_string(),
                                    channel,
                                };
                                if !found.contains(&f) {
                                    found.push(f);
                                }
                            }
                            k += 1;
                        }
                        Ok(None) => k += 1,
                        Err(_) => {
                            inputs.remove(k);
                        }
                    }
                }
                if inputs.is_empty() {
                    std::thread::sleep(POLL);
                }
            }
        }
    }
    Ok(found)
}

fn drain(inputs: &mut Vec<Box<dyn MidiIn>>) {
    inputs.retain_mut(|i| {
        loop {
            match i.recv_timeout(Duration::ZERO) {
                Ok(Some(_)) => continue,
                Ok(None) => break true,
                Err(_) => break false,
            }
        }
    });
}

/// An open connection to one device.
pub struct Link {
    /// Where requests go.
    pub out: Box<dyn MidiOut>,
    /// Where answers come from.
    pub inp: Box<dyn MidiIn>,
    /// The device's channel / device id (0-15).
    pub channel: u8,
}

impl Link {
    /// Opens the ports of a detected or pinned location.
    pub fn open(
        system: &mut dyn MidiSystem,
        out_port: &str,
        in_port: &str,
        channel: u8,
    ) -> Result<Self, DeviceError> {
        Ok(Self {
            out: system.open_out(out_port)?,
            inp: system.open_in(in_port)?,
            channel,
        })
    }

    fn send_all(&mut self, data: &[u8]) -> Result<Vec<Vec<u8>>, DeviceError> {
        let ms = sysex::messages(data);
        for m in &ms {
            self.out.send(m)?;
        }
        Ok(ms)
    }
}

/// What a multi-item fetch produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchResult {
    /// Patches that arrived, in request order.
    pub patches: Vec<Patch>,
    /// Program numbers (or bank numbers for bank dumps) that did not arrive.
    pub missing: Vec<u32>,
    /// Why the fetch stopped early or items were missing (cancel, vanished port, timeouts).
    pub error: Option<DeviceError>,
    /// Every message that made up the patches, in arrival order (for storing as an import).
    pub messages: Vec<Vec<u8>>,
}

/// Collects messages until `complete` says a whole item arrived. Echoes of `requests` and
/// unrelated messages are ignored (they do not extend the deadline); handshake replies are
/// sent at once. Returns the item's messages.
fn collect(
    link: &mut Link,
    requests: &[Vec<u8>],
    timing: &Timing,
    cancel: &Cancel,
    matcher: &Matcher<'_>,
) -> Result<Option<Vec<Vec<u8>>>, DeviceError> {
    let (part_of, complete) = (matcher.part_of, matcher.complete);
    let start = Instant::now();
    let mut last = Instant::now();
    let mut parts: Vec<Vec<u8>> = Vec::new();
    loop {
        if cancel.is_cancelled() {
            return Err(DeviceError::Cancelled);
        }
        let now = Instant::now();
        if now.duration_since(last) >= timing.reply_timeout
            || now.duration_since(start) >= timing.item_limit
        {
            return Ok(None);
        }
        let wait = (timing.reply_timeout - now.duration_since(last)).min(Duration::from_millis(20));
        let Some(m) = link.inp.recv_timeout(wait)? else {
            continue;
        };
        if requests.contains(&m.bytes) {
            continue;
        }
        match part_of(&m.bytes) {
            PartOf::No => continue,
            PartOf::Yes => {}
            PartOf::YesReply(reply) => {
                link.out.send(&reply)?;
            }
        }
        last = Instant::now();
        parts.push(m.bytes);
        // A complete item may be a suffix of what arrived (stale parts before it).
        for s in 0..parts.len() {
            if complete(&parts[s..]) {
                return Ok(Some(parts.split_off(s)));
            }
        }
        if parts.len() > super::adaptation::MAX_MESSAGES_PER_BANK {
            parts.remove(0);
        }
    }
}

fn concat(parts: &[Vec<u8>]) -> Vec<u8> {
    parts.iter().flatten().copied().collect()
}

/// How to recognise the messages of one requested item.
struct Matcher<'a> {
    /// Whether one message belongs to the item (and any handshake reply).
    part_of: &'a dyn Fn(&[u8]) -> PartOf,
    /// Whether the collected messages form the whole item.
    complete: &'a dyn Fn(&[Vec<u8>]) -> bool,
}

/// Sends `request` and collects one item, retrying on timeout.
fn request_item(
    link: &mut Link,
    device: &str,
    what: &str,
    request: &[u8],
    timing: &Timing,
    cancel: &Cancel,
    matcher: Matcher<'_>,
) -> Result<Vec<Vec<u8>>, DeviceError> {
    let attempts = timing.retries + 1;
    for _ in 0..attempts {
        let sent = link.send_all(request)?;
        if let Some(parts) = collect(link, &sent, timing, cancel, &matcher)? {
            return Ok(parts);
        }
    }
    Err(DeviceError::Timeout {
        device: device.to_string(),
        what: what.to_string(),
        waited_ms: timing.reply_timeout.as_millis() as u64,
        attempts,
    })
}

/// Fetches the device's current edit buffer.
pub fn fetch_edit_buffer(
    link: &mut Link,
    a: &dyn Adaptation,
    timing: &Timing,
    cancel: &Cancel,
) -> Result<Patch, DeviceError> {
    let eb = a.edit_buffer().ok_or_else(|| DeviceError::Unsupported {
        device: a.name(),
        what: "reading the edit buffer".into(),
    })?;
    let request = eb.create_edit_buffer_request(link.channel);
    let parts = request_item(
        link,
        &a.name(),
        "the edit buffer request",
        &request,
        timing,
        cancel,
        Matcher {
            part_of: &|m| eb.is_part_of_edit_buffer_dump(m),
            complete: &|ps| eb.is_edit_buffer_dump(&concat(ps)),
        },
    )?;
    Ok(make_patch(
        a,
        PatchKind::EditBuffer,
        concat(&parts),
        None,
        0,
    ))
}

/// Fetches programs one by one; programs that do not arrive are listed in `missing`.
/// A vanished port or a cancel stops the fetch (the rest are missing too).
pub fn fetch_programs(
    link: &mut Link,
    a: &dyn Adaptation,
    numbers: &[u32],
    timing: &Timing,
    cancel: &Cancel,
    progress: &mut dyn FnMut(Progress),
) -> Result<FetchResult, DeviceError> {
    let pd = a.program_dump().ok_or_else(|| DeviceError::Unsupported {
        device: a.name(),
        what: "reading single programs".into(),
    })?;
    let mut out = FetchResult::default();
    for (i, &n) in numbers.iter().enumerate() {
        progress(Progress::Fetching {
            done: i,
            total: numbers.len(),
        });
        let request = pd.create_program_dump_request(link.channel, n);
        let got = request_item(
            link,
            &a.name(),
            &format!("the request for program {}", a.friendly_program_name(n)),
            &request,
            timing,
            cancel,
            Matcher {
                part_of: &|m| pd.is_part_of_single_program_dump(m),
                complete: &|ps| pd.is_single_program_dump(&concat(ps)),
            },
        );
        match got {
            Ok(parts) => {
                let data = concat(&parts);
                let number = pd.number_from_dump(&data).or(Some(n));
                out.patches.push(make_patch(
                    a,
                    PatchKind::Program,
                    data,
                    number,
                    out.messages.len(),
                ));
                out.messages.extend(parts);
            }
            Err(e @ DeviceError::Timeout { .. }) => {
                out.missing.push(n);
                out.error = Some(e);
            }
            Err(e) => {
                out.missing.extend_from_slice(&numbers[i..]);
                out.error = Some(e);
                break;
            }
        }
    }
    progress(Progress::Fetching {
        done: numbers.len(),
        total: numbers.len(),
    });
    Ok(out)
}

/// Fetches a whole bank: with a bank dump request when the adaptation has one, else
/// program by program over the bank's slots.
pub fn fetch_bank(
    link: &mut Link,
    a: &dyn Adaptation,
    bank: u32,
    timing: &Timing,
    cancel: &Cancel,
    progress: &mut dyn FnMut(Progress),
) -> Result<FetchResult, DeviceError> {
    if let Some(bd) = a.bank_dump()
        && let Some(request) = bd.create_bank_dump_request(link.channel, bank)
    {
        progress(Progress::Fetching { done: 0, total: 1 });
        let got = request_item(
            link,
            &a.name(),
            &format!("the request for bank {}", a.friendly_bank_name(bank)),
            &request,
            timing,
            cancel,
            Matcher {
                part_of: &|m| {
                    if bd.is_part_of_bank_dump(m) {
                        PartOf::Yes
                    } else {
                        PartOf::No
                    }
                },
                complete: &|ps| bd.is_bank_dump_finished(ps),
            },
        );
        progress(Progress::Fetching { done: 1, total: 1 });
        return Ok(match got {
            Ok(parts) => {
                let loaded = load_patches(a, &parts);
                FetchResult {
                    patches: loaded.patches,
                    missing: Vec::new(),
                    error: None,
                    messages: parts,
                }
            }
            Err(e) => FetchResult {
                missing: vec![bank],
                error: Some(e),
                ..FetchResult::default()
            },
        });
    }
    let banks = a.bank_descriptors();
    let start = bank_start(&banks, bank).ok_or_else(|| DeviceError::Unsupported {
        device: a.name(),
        what: format!("bank {bank} (the device has {} banks)", banks.len()),
    })?;
    let size = banks
        .iter()
        .find(|b| b.bank == bank)
        .map(|b| b.size)
        .unwrap_or(0);
    let numbers: Vec<u32> = (start..start + size).collect();
    fetch_programs(link, a, &numbers, timing, cancel, progress)
}

/// Where a sent patch goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendTarget {
    /// The edit buffer (audition; nothing is overwritten).
    EditBuffer,
    /// A program slot (overwrites it; callers confirm first).
    Program(u32),
}

/// The messages that put `data` into `target` on the device (without sending them).
pub fn messages_for(
    a: &dyn Adaptation,
    data: &[u8],
    channel: u8,
    target: SendTarget,
) -> Result<Vec<Vec<u8>>, DeviceError> {
    let unsupported = |what: &str| DeviceError::Unsupported {
        device: a.name(),
        what: what.to_string(),
    };
    let bytes = match target {
        SendTarget::EditBuffer => {
            if let Some(eb) = a.edit_buffer() {
                eb.convert_to_edit_buffer(channel, data)
                    .ok_or_else(|| unsupported("converting this patch to an edit buffer"))?
            } else if a.program_dump().is_none() && a.bank_dump().is_none() {
                data.to_vec() // raw sysex: send as stored
            } else {
                return Err(unsupported("sending to the edit buffer"));
            }
        }
        SendTarget::Program(n) => a
            .program_dump()
            .and_then(|pd| pd.convert_to_program_dump(channel, data, n))
            .ok_or_else(|| unsupported("storing to a program slot"))?,
    };
    Ok(sysex::messages(&bytes))
}

/// Sends a patch to the edit buffer or a program slot, with the adaptation's delay between
/// messages. Returns the number of messages sent.
pub fn send_patch(
    out: &mut dyn MidiOut,
    a: &dyn Adaptation,
    data: &[u8],
    channel: u8,
    target: SendTarget,
    cancel: &Cancel,
    progress: &mut dyn FnMut(Progress),
) -> Result<usize, DeviceError> {
    let ms = messages_for(a, data, channel, target)?;
    let delay = Duration::from_millis(a.message_delay_ms());
    for (i, m) in ms.iter().enumerate() {
        if cancel.is_cancelled() {
            return Err(DeviceError::Cancelled);
        }
        if i > 0 && !delay.is_zero() {
            sleep_cancellable(delay, cancel)?;
        }
        out.send(m)?;
        progress(Progress::Sending {
            done: i + 1,
            total: ms.len(),
        });
    }
    Ok(ms.len())
}
