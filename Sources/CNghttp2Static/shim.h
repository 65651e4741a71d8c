#ifndef KAPTA_CNGHTTP2_H
#define KAPTA_CNGHTTP2_H
#include <nghttp2/nghttp2.h>
#endif
