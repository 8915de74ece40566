//! The "raw sysex" device: stores any message as a patch without knowing its format.

use crate::librarian::adaptation::Adaptation;

/// Name of the raw device.
pub const RAW_NAME: &str = "Raw sysex";

/// Keeps unknown sysex as-is: one message, one patch; identity is the digest of all bytes.
pub struct RawSysex;

impl Adaptation for RawSysex {
    fn name(&self) -> String {
        RAW_NAME.into()
    }
    fn create_device_detect_message(&self, _channel: u8) -> Vec<u8> {
        Vec::new()
    }
    fn channel_if_valid_device_response(&self, _message: &[u8]) -> Option<u8> {
        None
    }
    fn needs_channel_specific_detection(&self) -> bool {
        false
    }
    fn device_detect_wait_ms(&self) -> u64 {
        0
    }
    fn setup_help(&self) -> String {
        "Raw sysex: files whose device octa does not know are kept byte for byte; \
         they can be exported and sent back unchanged."
            .into()
    }
}
