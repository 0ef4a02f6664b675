// libnghttp2 1.52 (Debian bookworm, with the CVE-2023-44487 and CVE-2024-28182 backports) for Swift.
//
// Swift imports the nghttp2 API directly: functions, structs, the frame union and the enums all come
// through. Only what the importer drops gets a static inline helper here.
#ifndef TRACEGATE_CNGHTTP2_SHIM_H
#define TRACEGATE_CNGHTTP2_SHIM_H

#include <nghttp2/nghttp2.h>

#endif
