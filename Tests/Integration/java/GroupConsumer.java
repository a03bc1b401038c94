// A stock Java KafkaConsumer (kafka-clients 3.9.1) in a consumer group (subscribe + group.id).
//   java GroupConsumer BOOTSTRAP TOPIC GROUP consume COUNT [key=value ...]
//       Polls until COUNT records are consumed, printing "R <partition> <offset> <value>" for
//       each, then commitSync()s exactly the consumed positions (offset of the last consumed
//       record + 1 per partition), prints "COMMITTED <p>=<offset>,..." and closes (LeaveGroup).
//       Exits 1 with "FAIL ..." if COUNT records do not arrive within 120 s.
//   java GroupConsumer BOOTSTRAP TOPIC GROUP track [key=value ...]
//       Stays in the group, printing "ASSIGNED <p>,<p>,..." (sorted partitions of TOPIC) after
//       every rebalance, until a line "close" arrives on stdin; then closes the consumer and
//       prints "CLOSED".
// Consumer defaults: auto.offset.reset=earliest, enable.auto.commit=false,
// session.timeout.ms=6000, heartbeat.interval.ms=1000; key=value arguments override them.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

public class GroupConsumer {
    static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0], topic = args[1], group = args[2], mode = args[3];
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        int first = mode.equals("consume") ? 5 : 4;
        for (int i = first; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            p.put(kv[0], kv[1]);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            if (mode.equals("consume")) consume(consumer, topic, Integer.parseInt(args[4]));
            else track(consumer, topic);
        }
        if (mode.equals("track")) say("CLOSED");
    }

    static void consume(KafkaConsumer<String, String> consumer, String topic, int count) {
        consumer.subscribe(List.of(topic));
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        int got = 0;
        long deadline = System.currentTimeMillis() + 120_000;
        while (got < count && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                if (got == count) break;
                say("R " + r.partition() + " " + r.offset() + " " + r.value());
                positions.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1, "java"));
                got++;
            }
        }
        if (got < count) {
            say("FAIL consumed " + got + " of " + count);
            System.exit(1);
        }
        consumer.commitSync(positions, Duration.ofSeconds(60));
        say("COMMITTED " + positions.entrySet().stream()
            .sorted(Comparator.comparingInt(e -> e.getKey().partition()))
            .map(e -> e.getKey().partition() + "=" + e.getValue().offset())
            .collect(Collectors.joining(",")));
    }

    static void track(KafkaConsumer<String, String> consumer, String topic) throws Exception {
        AtomicBoolean closing = new AtomicBoolean(false);
        Thread stdin = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.trim().equals("close")) break;
                }
            } catch (Exception ignored) {
            }
            closing.set(true);
        });
        stdin.setDaemon(true);
        stdin.start();
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                say("ASSIGNED " + consumer.assignment().stream().filter(tp -> tp.topic().equals(topic))
                    .map(TopicPartition::partition).sorted().map(String::valueOf).collect(Collectors.joining(",")));
            }
        });
        while (!closing.get()) consumer.poll(Duration.ofMillis(200));
    }
}
