"""`martlet topics ...` and `martlet groups ...` against a 3-broker ZooKeeper cluster: what the
CLI prints agrees with what Metadata, DescribeGroups, OffsetFetch and ListOffsets return (read
with kafka-python's KafkaAdminClient and the raw wire client), and errors exit non-zero with
Kafka's messages."""

import kafka_wire as w
from conftest import martlet_binary, run, wait_until
from python_clients import create_topic, group_committed_offsets, produce_numbered
from test_consumer_groups import JavaTracker, group_cluster, java_consume


def martlet(bootstrap, *args):
    """Runs `martlet <args> --bootstrap-server <bootstrap>`."""
    return run([str(martlet_binary()), *args, "--bootstrap-server", bootstrap], timeout=120)


def offsets_rows(stdout):
    """The rows of the offsets table: {(topic, partition): {column: value}}."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    header_at = next(i for i, line in enumerate(lines) if line.split()[:2] == ["GROUP", "TOPIC"])
    columns = lines[header_at].split()
    rows = {}
    for line in lines[header_at + 1:]:
        if line.split()[0] == "GROUP":
            break  # the state table
        values = dict(zip(columns, line.split()))
        rows[(values["TOPIC"], int(values["PARTITION"]))] = values
    return rows


def state_row(stdout):
    lines = [line for line in stdout.splitlines() if line.strip()]
    header_at = next(i for i, line in enumerate(lines) if line.startswith("GROUP") and "COORDINATOR (ID)" in line)
    return lines[header_at + 1].split()


def kafka_python_view(bootstrap, group, topic, partitions):
    """(group description dict, {(topic, p): committed}, {(topic, p): log end offset}) via
    kafka-python's KafkaAdminClient: describe_groups, list_group_offsets, list_partition_offsets."""
    from kafka import TopicPartition
    from kafka.admin import KafkaAdminClient, OffsetSpec

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=30000)
    try:
        described = admin.describe_groups([group])[group]
        committed = group_committed_offsets(bootstrap, group)
        ends = admin.list_partition_offsets({TopicPartition(topic, p): OffsetSpec.LATEST for p in range(partitions)})
        return described, committed, {(tp.topic, tp.partition): o.offset for tp, o in ends.items()}
    finally:
        admin.close()


def assigned_partitions(member):
    """Partitions of a kafka-python described member's decoded ConsumerProtocolAssignment."""
    assignment = member["member_assignment"]
    topics = assignment["assigned_partitions"] if isinstance(assignment, dict) else assignment.assigned_partitions
    out = []
    for t in topics:
        name, parts = (t["topic"], t["partitions"]) if isinstance(t, dict) else (t.topic, t.partitions)
        out += [(name, p) for p in parts]
    return out


def test_groups_describe_agrees_with_describe_groups_offset_fetch_and_list_offsets(
        cluster_factory, java_classpath, tmp_path):
    c = group_cluster(cluster_factory)
    create_topic(c.bootstrap, "lagging", 4)
    produce_numbered(c.bootstrap, "lagging", 200, 4)
    java_consume(java_classpath, c.bootstrap, "lagging", "cli-g", 90)  # commits 90 records' positions, leaves
    produce_numbered(c.bootstrap, "lagging", 40, 4)  # more lag
    tracker = JavaTracker(java_classpath, c.bootstrap, "lagging", "cli-g", tmp_path)  # a member; never commits
    try:
        wait_until(lambda: tracker.assignment == [0, 1, 2, 3], timeout=90, message="the member owning all 4")
        described, committed, ends = wait_until(
            lambda: (lambda v: v if v[0]["group_state"] == "Stable" else None)(
                kafka_python_view(c.bootstrap, "cli-g", "lagging", 4)), message="a Stable group")
        out = martlet(c.bootstrap, "groups", "describe", "--group", "cli-g")
        assert out.returncode == 0, out.stderr
        rows = offsets_rows(out.stdout)
        [member] = described["members"]
        assert sorted(assigned_partitions(member)) == [("lagging", p) for p in range(4)]
        assert set(rows) == {("lagging", p) for p in range(4)}
        for (topic, p), row in rows.items():
            current = committed.get((topic, p))
            assert row["CURRENT-OFFSET"] == (str(current) if current is not None else "-")
            assert row["LOG-END-OFFSET"] == str(ends[(topic, p)])
            assert row["LAG"] == (str(ends[(topic, p)] - current) if current is not None else "-")
            assert row["CONSUMER-ID"] == member["member_id"]
            assert row["HOST"] == member["client_host"]
            assert row["CLIENT-ID"] == member["client_id"]
            assert row["GROUP"] == "cli-g"
        assert sum(committed.values()) == 90 and sum(ends.values()) == 240
        group, coordinator, strategy, state, members = state_row(out.stdout)[:2] + state_row(out.stdout)[3:]
        assert (group, strategy, state, members) == ("cli-g", described["protocol_data"], "Stable", "1")

        listed = martlet(c.bootstrap, "groups", "list")
        assert listed.returncode == 0 and "cli-g" in listed.stdout.split()
        tracker.close()
    finally:
        tracker.stop()


def test_groups_describe_of_an_unknown_group_fails_with_kafkas_message(cluster_factory):
    c = group_cluster(cluster_factory)
    out = martlet(c.bootstrap, "groups", "describe", "--group", "nobody")
    assert out.returncode != 0
    assert out.stderr.strip() == "Error: Consumer group 'nobody' does not exist."


def test_groups_delete_removes_an_empty_group(cluster_factory, java_classpath):
    c = group_cluster(cluster_factory)
    create_topic(c.bootstrap, "gone", 2)
    produce_numbered(c.bootstrap, "gone", 20, 2)
    java_consume(java_classpath, c.bootstrap, "gone", "old-g", 10)
    described = martlet(c.bootstrap, "groups", "describe", "--group", "old-g")
    assert described.returncode == 0, described.stderr
    assert "Consumer group 'old-g' has no active members." in described.stderr
    assert all(row["CONSUMER-ID"] == "-" for row in offsets_rows(described.stdout).values())
    out = martlet(c.bootstrap, "groups", "delete", "--group", "old-g")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Deletion of requested consumer groups ('old-g') was successful."
    assert group_committed_offsets(c.bootstrap, "old-g") == {}
    again = martlet(c.bootstrap, "groups", "delete", "--group", "old-g")
    assert again.returncode != 0
    assert "* Group 'old-g' could not be deleted due to: Consumer group 'old-g' does not exist." in again.stderr


def _metadata_topics(port):
    """{name: (error, partition count)} of every topic a broker lists (Metadata v1, all topics:
    asking for one by name at v1 would auto-create it)."""
    s = w.connect(port)
    try:
        s.sendall(w.metadata_v1_request(1, None))
        _, _, _, topics = w.parse_metadata_v1(w.recv_frame(s))
        return {name: (err, nparts) for err, name, _, nparts in topics}
    finally:
        s.close()


def test_topics_create_describe_delete_through_the_cli_agree_with_metadata(cluster_factory):
    from kafka.admin import KafkaAdminClient

    c = cluster_factory(3)
    out = martlet(c.bootstrap, "topics", "create", "--topic", "cli-t", "--partitions", "3",
                  "--replication-factor", "1", "--config", "retention.ms=123456")
    assert out.returncode == 0, out.stderr
    assert out.stdout == "Created topic cli-t.\n"
    for b in c.brokers:
        wait_until(lambda b=b: _metadata_topics(b.port).get("cli-t") == (0, 3),
                   message=f"broker {b.broker_id} serving cli-t metadata")

    assert "cli-t" in martlet(c.bootstrap, "topics", "list").stdout.splitlines()
    described = martlet(c.bootstrap, "topics", "describe", "--topic", "cli-t")
    assert described.returncode == 0, described.stderr
    summary, *partition_lines = described.stdout.splitlines()
    assert summary.startswith("Topic: cli-t\t") and "\tPartitionCount: 3\tReplicationFactor: 1\t" in summary
    assert "retention.ms=123456" in summary.split("Configs: ", 1)[1].split(",")
    admin = KafkaAdminClient(bootstrap_servers=c.bootstrap)
    try:
        [meta] = admin.describe_topics(["cli-t"])
    finally:
        admin.close()
    def field(p, *names):  # kafka-python 2.x and 3.x name these differently
        return next(p[n] for n in names if n in p)

    expected = {field(p, "partition", "partition_index"): p for p in meta["partitions"]}
    assert len(partition_lines) == 3
    for line in partition_lines:
        fields = dict(f.split(": ", 1) for f in line.strip().split("\t"))
        p = expected[int(fields["Partition"])]
        assert fields["Topic"] == "cli-t"
        assert fields["Leader"] == str(field(p, "leader", "leader_id"))
        assert fields["Replicas"] == ",".join(map(str, field(p, "replicas", "replica_nodes")))
        assert fields["Isr"] == ",".join(map(str, field(p, "isr", "isr_nodes")))

    out = martlet(c.bootstrap, "topics", "delete", "--topic", "cli-t")
    assert out.returncode == 0, out.stderr
    for b in c.brokers:
        wait_until(lambda b=b: "cli-t" not in _metadata_topics(b.port),
                   message=f"broker {b.broker_id} no longer listing cli-t")
    gone = martlet(c.bootstrap, "topics", "describe", "--topic", "cli-t")
    assert gone.returncode != 0
    assert gone.stderr.strip() == "Error while executing topic command : Topic 'cli-t' does not exist as expected"


def test_topics_cli_errors_exit_non_zero_with_a_message(cluster_factory):
    c = cluster_factory(3)
    create_topic(c.bootstrap, "taken", 1)
    exists = martlet(c.bootstrap, "topics", "create", "--topic", "taken", "--partitions", "1",
                     "--replication-factor", "1")
    assert exists.returncode != 0
    assert exists.stderr.startswith("Error while executing topic command : ") and "TOPIC_ALREADY_EXISTS" in exists.stderr
    too_many = martlet(c.bootstrap, "topics", "create", "--topic", "wide", "--partitions", "1",
                       "--replication-factor", "4")
    assert too_many.returncode != 0 and "INVALID_REPLICATION_FACTOR" in too_many.stderr
    bad_config = martlet(c.bootstrap, "topics", "create", "--topic", "x", "--partitions", "1",
                         "--replication-factor", "1", "--config", "novalue")
    assert bad_config.returncode != 0 and "expected key=value" in bad_config.stderr
    missing = martlet(c.bootstrap, "topics", "delete", "--topic", "never-created")
    assert missing.returncode != 0
    assert "Topic 'never-created' does not exist as expected" in missing.stderr
    unreachable = run([str(martlet_binary()), "topics", "list", "--bootstrap-server", "127.0.0.1:1"], timeout=60)
    assert unreachable.returncode != 0 and "Could not connect to any bootstrap server" in unreachable.stderr
