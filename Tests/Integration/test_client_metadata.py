"""Real Kafka clients negotiate with a Martlet broker and read its cluster metadata."""
import re

from conftest import run


def test_kcat_lists_the_broker(broker):
    out = run(["kcat", "-b", broker.bootstrap, "-L", "-m", "15"], timeout=60)
    assert out.returncode == 0, out.stderr
    assert re.search(rf"broker 0 at 127\.0\.0\.1:{broker.port}", out.stdout), out.stdout
    assert "0 topics" in out.stdout


def test_java_admin_client_describes_the_cluster(broker, java_classpath):
    out = run(["java", "-cp", java_classpath, "AdminProbe", broker.bootstrap, "describe-cluster"], timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    match = re.search(r"cluster=(\S+) controller=(\d+) nodes=(\S+)", out.stdout)
    assert match, out.stdout
    cluster_id, controller, nodes = match.groups()
    assert len(cluster_id) == 22  # Kafka's base64url UUID form
    assert controller == "0"
    assert nodes == f"0@127.0.0.1:{broker.port}"
    # The cluster id is the one persisted in meta.properties.
    meta = (broker.data / "logs" / "meta.properties").read_text()
    assert f"cluster.id={cluster_id}" in meta


def test_kafka_python_admin_client_describes_the_cluster(broker):
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap, request_timeout_ms=15000)
    try:
        cluster = admin.describe_cluster()
        assert cluster["controller_id"] == 0
        assert [(b["broker_id"], b["host"], b["port"]) for b in cluster["brokers"]] == [(0, "127.0.0.1", broker.port)]
        meta = (broker.data / "logs" / "meta.properties").read_text()
        assert f"cluster.id={cluster['cluster_id']}" in meta
        assert admin.list_topics() == []
    finally:
        admin.close()


def test_confluent_kafka_lists_metadata(broker):
    from confluent_kafka.admin import AdminClient

    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    md = admin.list_topics(timeout=15)
    assert list(md.brokers.keys()) == [0]
    assert (md.brokers[0].host, md.brokers[0].port) == ("127.0.0.1", broker.port)
    assert md.controller_id == 0
    assert md.topics == {}
