// app/notify.hpp
//
// systemd notification (sd_notify): READY=1, STATUS=..., STOPPING=1, WATCHDOG=1. Each call is a
// no-op when NOTIFY_SOCKET is not set (not under systemd, not under the integration tests).
// Thread-safe (sd_notify is).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace claimaudit::app {

void notify_ready();
void notify_status(std::string_view status);
void notify_stopping();
void notify_watchdog();
// The interval at which to send WATCHDOG=1 (half of WATCHDOG_USEC), if the watchdog is on.
std::optional<std::chrono::microseconds> watchdog_interval();

}  // namespace claimaudit::app
