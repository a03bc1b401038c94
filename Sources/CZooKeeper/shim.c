#include "CZooKeeper.h"

#include <string.h>

const struct ACL_vector *czk_open_acl_unsafe(void) {
    return &ZOO_OPEN_ACL_UNSAFE;
}

zhandle_t *czk_init(const char *host, watcher_fn watcher, int recv_timeout_ms, void *context,
                    log_callback_fn log_callback) {
    return zookeeper_init2(host, watcher, recv_timeout_ms, NULL, context, ZOO_NO_LOG_CLIENTENV,
                           log_callback);
}

zhandle_t *czk_init_with_session(const char *host, watcher_fn watcher, int recv_timeout_ms,
                                 int64_t session_id, const uint8_t *password, void *context,
                                 log_callback_fn log_callback) {
    clientid_t id;
    memset(&id, 0, sizeof(id));
    id.client_id = session_id;
    memcpy(id.passwd, password, CZK_SESSION_PASSWORD_LENGTH);
    return zookeeper_init2(host, watcher, recv_timeout_ms, &id, context, ZOO_NO_LOG_CLIENTENV,
                           log_callback);
}

int czk_client_id(zhandle_t *zh, int64_t *session_id, uint8_t *password) {
    if (zh == NULL) {
        return -1;
    }
    const clientid_t *id = zoo_client_id(zh);
    *session_id = id->client_id;
    memcpy(password, id->passwd, CZK_SESSION_PASSWORD_LENGTH);
    return 0;
}
