// Produces N records with the stock Java KafkaProducer (kafka-clients 3.9.1, default config:
// idempotent, acks=all) and reads them back with a KafkaConsumer using assign + seekToBeginning.
//   java RoundTrip BOOTSTRAP TOPIC N COMPRESSION
// Checks: every record acknowledged; every value read exactly once; per partition, records come
// back in the order they were acknowledged; each key on the partition the producer chose.
// Prints "OK produced=N consumed=N partitions=P" or "FAIL ..." (exit 1).
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.*;

public class RoundTrip {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0], topic = args[1], compression = args[3];
        int n = Integer.parseInt(args[2]);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        Map<Integer, List<String>> acked = new ConcurrentHashMap<>();
        Map<String, Integer> keyPartition = new ConcurrentHashMap<>();
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < n; i++) {
                String key = "key-" + (i % 97), value = "value-" + i;
                futures.add(producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
                    if (e == null) {
                        acked.computeIfAbsent(md.partition(), x -> Collections.synchronizedList(new ArrayList<>())).add(md.offset() + "|" + value);
                        Integer prev = keyPartition.putIfAbsent(key, md.partition());
                        if (prev != null && prev != md.partition()) System.out.println("FAIL key " + key + " on two partitions");
                    }
                }));
            }
            producer.flush();
            for (Future<RecordMetadata> f : futures) f.get(60, TimeUnit.SECONDS);
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        Map<Integer, List<String>> read = new HashMap<>();
        Set<String> seen = new HashSet<>();
        int total = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) tps.add(new TopicPartition(topic, info.partition()));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.currentTimeMillis() + 120_000;
            while (total < n && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (!seen.add(r.value())) { System.out.println("FAIL duplicate " + r.value()); System.exit(1); }
                    if (!Objects.equals(keyPartition.get(r.key()), r.partition())) { System.out.println("FAIL key " + r.key() + " read from partition " + r.partition()); System.exit(1); }
                    read.computeIfAbsent(r.partition(), x -> new ArrayList<>()).add(r.offset() + "|" + r.value());
                    total++;
                }
            }
        }
        if (total != n) { System.out.println("FAIL consumed " + total + " of " + n); System.exit(1); }
        for (Map.Entry<Integer, List<String>> e : acked.entrySet()) {
            List<String> expected = new ArrayList<>(e.getValue());
            expected.sort(Comparator.comparingLong(s -> Long.parseLong(s.split("\\|")[0])));
            if (!expected.equals(read.get(e.getKey()))) { System.out.println("FAIL partition " + e.getKey() + " order differs"); System.exit(1); }
        }
        System.out.println("OK produced=" + n + " consumed=" + total + " partitions=" + read.size());
    }
}
