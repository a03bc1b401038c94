/// CZooKeeper: the ZooKeeper C client (libzookeeper_mt) as a Clang module, plus a small shim.
///
/// The shim exists because Swift 6 rejects references to writable C globals such as
/// `ZOO_OPEN_ACL_UNSAFE`, and because `clientid_t` keeps its password in a fixed C array that is
/// awkward to fill from Swift. Everything else is used directly from the library's header.
///
/// Thread-safety: the multi-threaded library's `zoo_a*` calls may be made from any thread while a
/// handle is open; no `zoo_*` call may follow `zookeeper_close` on the same handle.
#pragma once

#include <stdint.h>
#include <zookeeper/zookeeper.h>

/// Length of a session password in `clientid_t`.
#define CZK_SESSION_PASSWORD_LENGTH 16

/// The "world:anyone has all permissions" ACL (Kafka's ACL for non-secure clusters).
const struct ACL_vector *czk_open_acl_unsafe(void);

/// Like `zookeeper_init2`, without re-attaching to a previous session.
/// Blocks while resolving host names: never call it on an event loop.
zhandle_t *czk_init(const char *host, watcher_fn watcher, int recv_timeout_ms, void *context,
                    log_callback_fn log_callback);

/// Like `zookeeper_init2`, re-attaching to session `session_id` with its 16-byte `password`.
/// Blocks while resolving host names: never call it on an event loop.
zhandle_t *czk_init_with_session(const char *host, watcher_fn watcher, int recv_timeout_ms,
                                 int64_t session_id, const uint8_t *password, void *context,
                                 log_callback_fn log_callback);

/// Copies the handle's session id and 16-byte password (valid once connected).
/// Returns 0 on success, -1 if `zh` is NULL.
int czk_client_id(zhandle_t *zh, int64_t *session_id, uint8_t *password);
