"""A ZooKeeper-mode cluster: real ZooKeeper 3.8, three real Martlet brokers, Kafka's znode layout,
controller election and failover, leader failover, session expiry, ZooKeeper restarts."""
import json
import os
import re
import signal
import time

from conftest import run, wait_until


def znode(zk, path):
    """The data of a znode (via zkCli.sh), or None when it does not exist."""
    out = zk.zkcli("get", path)
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{") or re.fullmatch(r"-?\d+", line):
            return line
    return None


def children(zk, path):
    out = zk.zkcli("ls", path)
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            inner = line[1:-1].strip()
            return sorted(x.strip() for x in inner.split(",") if x.strip())
    return None


def metadata(bootstrap, topic=None):
    """(controller id, {broker id: port}, {partition: (leader, isr)}) as kafka-python sees it."""
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    try:
        cluster = admin.describe_cluster()
        brokers = {b["broker_id"]: b["port"] for b in cluster["brokers"]}
        partitions = {}
        if topic:
            for t in admin.describe_topics([topic]):
                for p in t["partitions"]:
                    partitions[p["partition"]] = (p["leader"], sorted(p["isr"]))
        return cluster["controller_id"], brokers, partitions
    finally:
        admin.close()


def raw_metadata(port, topics=None):
    import kafka_wire as w

    s = w.connect(port)
    s.sendall(w.metadata_v1_request(1, topics))
    return w.parse_metadata_v1(w.recv_frame(s))


def create_topic(java_classpath, bootstrap, name, partitions, rf):
    out = run(["java", "-cp", java_classpath, "AdminProbe", bootstrap, "create-topic", name, str(partitions), str(rf)],
              timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def zk_path(cluster, path):
    return cluster.chroot + path


def test_znode_tree_matches_kafkas_layout(cluster_factory, zookeeper):
    c = cluster_factory(3)
    zk = zookeeper
    assert wait_until(lambda: children(zk, zk_path(c, "/brokers/ids")) == ["0", "1", "2"], message="3 brokers")
    reg = json.loads(znode(zk, zk_path(c, "/brokers/ids/1")))
    assert reg["version"] == 5
    assert reg["endpoints"] == [f"PLAINTEXT://127.0.0.1:{c.broker(1).port}"]
    assert reg["host"] == "127.0.0.1" and reg["port"] == c.broker(1).port
    assert reg["listener_security_protocol_map"] == {"PLAINTEXT": "PLAINTEXT"}
    cluster_id = json.loads(znode(zk, zk_path(c, "/cluster/id")))
    assert cluster_id["version"] == "1" and len(cluster_id["id"]) == 22
    controller = json.loads(znode(zk, zk_path(c, "/controller")))
    assert controller["version"] == 2 and controller["brokerid"] in (0, 1, 2)
    assert int(znode(zk, zk_path(c, "/controller_epoch"))) >= 1
    for path in ["/brokers/topics", "/admin/delete_topics", "/config/topics", "/isr_change_notification"]:
        assert children(zk, zk_path(c, path)) is not None, path
    # Every broker stores the same cluster id in meta.properties.
    for b in c.brokers:
        assert f"cluster.id={cluster_id['id']}" in (b.data / "logs" / "meta.properties").read_text()


def test_all_brokers_return_identical_metadata(cluster_factory, java_classpath):
    c = cluster_factory(3)
    create_topic(java_classpath, c.bootstrap, "orders", 6, 3)

    def same_everywhere():
        answers = [raw_metadata(b.port, ["orders"])[1:] for b in c.brokers]
        return all(a == answers[0] for a in answers) and answers[0][2][0][3] == 6 and answers
    answers = wait_until(same_everywhere, message="identical metadata on all brokers")
    brokers, controller, topics = answers[0]
    assert sorted(b[0] for b in brokers) == [0, 1, 2]
    assert controller in (0, 1, 2)
    assert topics == [(0, "orders", False, 6)]


def test_metadata_names_the_controller_as_soon_as_the_broker_reports_started(cluster_factory):
    # "Martlet broker started" waits for the controller's first UpdateMetadata: a client asking
    # right then (AdminClients do) must not see controller -1, which librdkafka's admin API can
    # wait on until its request times out.
    for _ in range(3):
        c = cluster_factory(1)
        _, controller, _ = raw_metadata(c.brokers[0].port)[1:]
        assert controller == 0
        c.kill_all()


def test_second_broker_with_the_same_id_fails_to_start(cluster_factory, tmp_path):
    from conftest import BrokerProcess

    c = cluster_factory(1)
    twin = BrokerProcess(tmp_path / "twin", broker_id=0, overrides={
        "zookeeper.connect": c.zookeeper.connect + c.chroot, "zookeeper.session.timeout.ms": "6000"})
    twin.start(expect_ready=False)
    assert twin.wait(60) != 0
    assert "already registered" in twin.output()


def test_killing_the_controller_moves_control_and_topic_creation_works(cluster_factory, zookeeper, java_classpath):
    c = cluster_factory(3)
    first = json.loads(wait_until(lambda: znode(zookeeper, zk_path(c, "/controller")), message="controller"))
    old_epoch = int(znode(zookeeper, zk_path(c, "/controller_epoch")))
    c.broker(first["brokerid"]).proc.send_signal(signal.SIGKILL)
    c.broker(first["brokerid"]).proc.wait(10)

    def new_controller():
        data = znode(zookeeper, zk_path(c, "/controller"))
        return data and json.loads(data)["brokerid"] != first["brokerid"] and json.loads(data)
    second = wait_until(new_controller, timeout=30, message="a new controller")
    assert int(znode(zookeeper, zk_path(c, "/controller_epoch"))) > old_epoch
    create_topic(java_classpath, c.bootstrap, "after-failover", 3, 2)
    live = [b for b in c.brokers if b.broker_id != first["brokerid"]]
    wait_until(lambda: raw_metadata(live[0].port, ["after-failover"])[3][0][3] == 3, message="topic visible")
    controller_seen = {raw_metadata(b.port)[2] for b in live}
    assert controller_seen == {second["brokerid"]}


def test_killing_a_leader_elects_the_next_isr_replica(cluster_factory, zookeeper, java_classpath):
    c = cluster_factory(3)
    create_topic(java_classpath, c.bootstrap, "replicated", 3, 3)
    create_topic(java_classpath, c.bootstrap, "single", 3, 1)

    def states(topic):
        out = {}
        for p in range(3):
            data = znode(zookeeper, zk_path(c, f"/brokers/topics/{topic}/partitions/{p}/state"))
            if not data:
                return None
            out[p] = json.loads(data)
        return out
    before = wait_until(lambda: states("replicated"), message="partition states")
    single = wait_until(lambda: states("single"), message="single-replica states")
    # A broker that is not the controller (a dying controller's offline partitions keep their
    # state znode in Kafka too: the new controller finds no live ISR member and writes nothing).
    # With 3 partitions over 3 brokers it leads exactly one partition of each topic.
    controller = json.loads(znode(zookeeper, zk_path(c, "/controller")))["brokerid"]
    victim = next(b for b in (0, 1, 2) if b != controller)
    assert victim in [before[p]["leader"] for p in range(3)]
    assert victim in [single[p]["leader"] for p in range(3)]
    c.broker(victim).proc.send_signal(signal.SIGKILL)
    c.broker(victim).proc.wait(10)
    assignment = json.loads(znode(zookeeper, zk_path(c, "/brokers/topics/replicated")))["partitions"]

    def moved():
        now = states("replicated")
        return now and all(now[p]["leader"] != victim for p in range(3)) and now
    after = wait_until(moved, timeout=40, message="new leaders")
    for p in range(3):
        if before[p]["leader"] == victim:
            expected = next(r for r in assignment[str(p)] if r != victim and r in before[p]["isr"])
            assert after[p]["leader"] == expected
            assert after[p]["leader_epoch"] == before[p]["leader_epoch"] + 1
            assert victim not in after[p]["isr"]
    # Single-replica partitions led by the victim go offline (leader -1), ISR left as it was.
    def offline():
        now = states("single")
        return now and all(now[p]["leader"] == -1 for p in range(3) if single[p]["leader"] == victim) and now
    now = wait_until(offline, timeout=40, message="offline partitions")
    survivor = next(b for b in c.brokers if b.broker_id != victim)
    _, _, _, topics = raw_metadata(survivor.port, ["single"])
    for p in range(3):
        if single[p]["leader"] == victim:
            assert now[p]["isr"] == [victim]
    assert topics[0][3] == 3


def test_restarted_broker_rejoins_as_follower(cluster_factory, zookeeper, java_classpath):
    c = cluster_factory(3)
    create_topic(java_classpath, c.bootstrap, "comeback", 1, 3)
    state = lambda: json.loads(znode(zookeeper, zk_path(c, "/brokers/topics/comeback/partitions/0/state")))
    leader = wait_until(state, message="state")["leader"]
    c.broker(leader).proc.send_signal(signal.SIGKILL)
    c.broker(leader).proc.wait(10)
    wait_until(lambda: state()["leader"] not in (leader, -1), timeout=40, message="failover")
    c.broker(leader).start()
    wait_until(lambda: children(zookeeper, zk_path(c, "/brokers/ids")) == ["0", "1", "2"], message="re-registered")
    assert state()["leader"] != leader
    wait_until(lambda: raw_metadata(c.broker(leader).port, ["comeback"])[3][0][3] == 1, message="metadata on returning broker")


def test_session_expiry_re_registers_the_broker(cluster_factory, zookeeper):
    c = cluster_factory(3)
    victim = c.broker(2)
    before = wait_until(lambda: run([f"/usr/share/zookeeper/bin/zkCli.sh", "-server", zookeeper.connect,
                                     "stat", zk_path(c, "/brokers/ids/2")], timeout=60).stdout, message="stat")
    czxid_before = re.search(r"cZxid = (0x[0-9a-f]+)", before).group(1)
    # Freeze the broker past its 6 s session timeout: ZooKeeper expires the session.
    os.kill(victim.proc.pid, signal.SIGSTOP)
    wait_until(lambda: "2" not in (children(zookeeper, zk_path(c, "/brokers/ids")) or ["2"]), timeout=40,
               message="ephemeral registration removed")
    os.kill(victim.proc.pid, signal.SIGCONT)

    def re_registered():
        out = run(["/usr/share/zookeeper/bin/zkCli.sh", "-server", zookeeper.connect, "stat",
                   zk_path(c, "/brokers/ids/2")], timeout=60).stdout
        m = re.search(r"cZxid = (0x[0-9a-f]+)", out)
        return m and m.group(1) != czxid_before
    wait_until(re_registered, timeout=60, message="re-registration with a new session")
    assert victim.proc.poll() is None
    assert "re-registered in ZooKeeper" in victim.output()
    # It still serves.
    assert raw_metadata(victim.port)[0] == 1


def test_zookeeper_restart_is_survived_without_restarting_brokers(cluster_factory, zookeeper, java_classpath):
    c = cluster_factory(3)
    zookeeper.stop()
    # Brokers keep answering while ZooKeeper is down.
    for b in c.brokers:
        assert raw_metadata(b.port)[0] == 1
    zookeeper.start()
    wait_until(lambda: children(zookeeper, zk_path(c, "/brokers/ids")) == ["0", "1", "2"], timeout=60,
               message="registrations after ZooKeeper restart")
    wait_until(lambda: znode(zookeeper, zk_path(c, "/controller")), timeout=60, message="a controller")
    create_topic(java_classpath, c.bootstrap, "after-zk-restart", 2, 3)
    wait_until(lambda: raw_metadata(c.brokers[0].port, ["after-zk-restart"])[3][0][3] == 2, timeout=60,
               message="topic after restart")
    for b in c.brokers:
        assert b.proc.poll() is None


def test_sigterm_moves_leadership_before_exit(cluster_factory, zookeeper, java_classpath):
    c = cluster_factory(3)
    create_topic(java_classpath, c.bootstrap, "graceful", 3, 3)
    state = lambda p: json.loads(znode(zookeeper, zk_path(c, f"/brokers/topics/graceful/partitions/{p}/state")))
    wait_until(lambda: all(state(p) for p in range(3)), message="states")
    leaders = {p: state(p)["leader"] for p in range(3)}
    victim = leaders[0]
    assert c.broker(victim).stop() == 0
    assert "controlled shutdown complete" in c.broker(victim).output()
    for p in range(3):
        now = state(p)
        assert now["leader"] != victim
        assert victim not in now["isr"]


def test_create_partitions_adds_partitions_everywhere(cluster_factory, zookeeper, java_classpath):
    c = cluster_factory(3)
    create_topic(java_classpath, c.bootstrap, "growing", 2, 2)
    out = run(["java", "-cp", java_classpath, "AdminProbe", c.bootstrap, "add-partitions", "growing", "5"], timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    wait_until(lambda: all(raw_metadata(b.port, ["growing"])[3][0][3] == 5 for b in c.brokers),
               message="5 partitions on every broker")
    assignment = json.loads(znode(zookeeper, zk_path(c, "/brokers/topics/growing")))["partitions"]
    assert sorted(assignment) == ["0", "1", "2", "3", "4"]
    assert all(len(r) == 2 for r in assignment.values())
    for p in range(5):
        state = json.loads(wait_until(
            lambda: znode(zookeeper, zk_path(c, f"/brokers/topics/growing/partitions/{p}/state")),
            message=f"state of partition {p}"))
        assert state["leader"] == assignment[str(p)][0]
    # Shrinking is refused.
    out = run(["java", "-cp", java_classpath, "AdminProbe", c.bootstrap, "add-partitions", "growing", "3"], timeout=120)
    assert out.returncode != 0 and "InvalidPartitionsException" in out.stdout + out.stderr
