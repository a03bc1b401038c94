// Drives Martlet with the stock Apache Kafka AdminClient (kafka-clients 3.9.1).
//   java AdminProbe BOOTSTRAP describe-cluster   -> prints "cluster=<id> controller=<id> nodes=<id>@<host>:<port>,..."
//   java AdminProbe BOOTSTRAP create-topic NAME PARTITIONS REPLICATION_FACTOR
//   java AdminProbe BOOTSTRAP add-partitions NAME TOTAL_PARTITIONS
//   java AdminProbe BOOTSTRAP set-topic-config NAME KEY VALUE      (incrementalAlterConfigs SET)
//   java AdminProbe BOOTSTRAP describe-topic-config NAME          -> "key=value SOURCE" lines
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import java.util.List;

public class AdminProbe {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(props)) {
            switch (args[1]) {
                case "describe-cluster": {
                    DescribeClusterResult r = admin.describeCluster();
                    String id = r.clusterId().get(30, TimeUnit.SECONDS);
                    int controller = r.controller().get(30, TimeUnit.SECONDS).id();
                    String nodes = r.nodes().get(30, TimeUnit.SECONDS).stream()
                        .map(n -> n.id() + "@" + n.host() + ":" + n.port())
                        .sorted().collect(Collectors.joining(","));
                    System.out.println("cluster=" + id + " controller=" + controller + " nodes=" + nodes);
                    break;
                }
                case "create-topic": {
                    NewTopic topic = new NewTopic(args[2], Integer.parseInt(args[3]), Short.parseShort(args[4]));
                    admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
                    System.out.println("created " + args[2]);
                    break;
                }
                case "add-partitions": {
                    admin.createPartitions(java.util.Map.of(args[2],
                        org.apache.kafka.clients.admin.NewPartitions.increaseTo(Integer.parseInt(args[3]))))
                        .all().get(60, TimeUnit.SECONDS);
                    System.out.println("partitions " + args[2] + " " + args[3]);
                    break;
                }
                case "set-topic-config": {
                    org.apache.kafka.common.config.ConfigResource resource = new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, args[2]);
                    org.apache.kafka.clients.admin.AlterConfigOp op = new org.apache.kafka.clients.admin.AlterConfigOp(
                        new org.apache.kafka.clients.admin.ConfigEntry(args[3], args[4]),
                        org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
                    admin.incrementalAlterConfigs(java.util.Map.of(resource, List.of(op))).all().get(60, TimeUnit.SECONDS);
                    System.out.println("set " + args[3]);
                    break;
                }
                case "describe-topic-config": {
                    org.apache.kafka.common.config.ConfigResource resource = new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, args[2]);
                    org.apache.kafka.clients.admin.Config config =
                        admin.describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS).get(resource);
                    for (org.apache.kafka.clients.admin.ConfigEntry e : config.entries())
                        System.out.println(e.name() + "=" + e.value() + " " + e.source());
                    break;
                }
                default:
                    System.err.println("unknown command " + args[1]);
                    System.exit(2);
            }
        }
    }
}
