// WriteAll: blocking "write every byte" for the control side's log and admin output.
import Glibc

/// Writes all of `bytes` to a blocking descriptor, retrying short writes and EINTR; gives up
/// silently on any other error (a closed pipe or peer: control-side output is best effort).
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n > 0 {
            offset += n
        } else if n < 0 && errno == EINTR {
            continue
        } else {
            return
        }
    }
}
