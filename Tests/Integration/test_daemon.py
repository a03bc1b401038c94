"""`martlet broker` as a daemon: configuration errors, log-dir locking, graceful shutdown."""
from conftest import BrokerProcess


def test_sigterm_stops_the_broker_gracefully(broker):
    assert broker.stop() == 0
    out = broker.output()
    assert "Martlet broker shutting down" in out
    assert "Martlet broker stopped" in out


def test_invalid_value_is_a_startup_error_naming_the_key(tmp_path):
    b = BrokerProcess(tmp_path, overrides={"num.partitions": "many"})
    b.start(expect_ready=False)
    assert b.wait() == 2
    assert "num.partitions" in b.output()
    assert "Invalid value many" in b.output()


def test_unsupported_security_protocol_is_rejected(tmp_path):
    b = BrokerProcess(tmp_path, overrides={"listeners": "SSL://127.0.0.1:0"})
    b.start(expect_ready=False)
    assert b.wait() == 2
    assert "listeners" in b.output() and "SSL" in b.output()


def test_unknown_keys_are_logged_and_ignored(broker_factory):
    b = broker_factory(overrides={"some.future.setting": "1"})
    assert "some.future.setting" in b.output()
    assert b.stop() == 0


def test_second_broker_on_the_same_log_dir_fails(broker, tmp_path):
    other = BrokerProcess(tmp_path / "other", broker_id=0,
                          overrides={"log.dirs": str(broker.data / "logs")})
    other.start(expect_ready=False)
    assert other.wait() != 0
    assert "locked" in other.output()


def test_broker_id_must_match_meta_properties(broker, tmp_path):
    logs = broker.data / "logs"
    assert broker.stop() == 0
    other = BrokerProcess(tmp_path / "other", broker_id=5, overrides={"log.dirs": str(logs)})
    other.start(expect_ready=False)
    assert other.wait() != 0
    assert "does not match broker.id 0" in other.output()


def test_restart_keeps_the_cluster_id(broker_factory):
    b = broker_factory()
    meta = (b.data / "logs" / "meta.properties").read_text()
    assert b.stop() == 0
    b.start()
    assert (b.data / "logs" / "meta.properties").read_text() == meta
    assert b.stop() == 0
