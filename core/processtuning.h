#pragma once

namespace Plugboard {

// Process-wide settings that a server program should apply first thing in main(), before the
// QCoreApplication exists:
// - Qt's own UNIX event dispatcher instead of glib's, which searches every socket notifier
//   linearly whenever one is switched (most of the CPU at fan-out to thousands of sockets);
// - malloc keeps freed memory instead of trimming the heap after every large message
//   (64 KiB binary messages otherwise spend a third of their time in brk() and page faults).
void tuneProcessForServing();

} // namespace Plugboard
