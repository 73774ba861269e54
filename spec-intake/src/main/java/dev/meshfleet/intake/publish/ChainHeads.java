package dev.meshfleet.intake.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;

import dev.meshfleet.schemas.Backoff;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.audit.AuditChain;
import dev.meshfleet.schemas.audit.TopicScan;

/**
 * The head of the audit chain of every key of one topic (docs/adr/0033): the chain hash of the key's last record.
 * spec-intake is the one writer of its topics, so it keeps the heads in memory; it reads them from the topic once
 * before its first write (a restarted intake continues the chain), and again for one key after a write whose outcome
 * it does not know (a timed-out send may still land). Writes of one key are serialized: a record's hash names the
 * record before it.
 */
public final class ChainHeads {
    /** Reads the heads from the topic: of every key (empty), or of one. */
    private final Function<Optional<String>, Map<String, String>> reader;
    private final Map<String, String> heads = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Set<String> unknown = ConcurrentHashMap.newKeySet();
    private volatile boolean loaded;

    public ChainHeads(Function<Optional<String>, Map<String, String>> reader) {
        this.reader = reader;
    }

    /** Heads read from {@code topic}: the chain hash of each key's last record, the genesis for one without. */
    public static <V extends SpecificRecord> ChainHeads of(KafkaClientSettings kafka, String topic, Class<V> type,
            Function<V, String> chainHash) {
        return new ChainHeads(key -> {
            Map<String, String> out = new HashMap<>();
            new TopicScan(kafka, Duration.ofSeconds(10)).read(topic, key, type, chainHash.andThen(Optional::ofNullable))
                    .records().forEach(r -> out.put(r.key(), r.value().orElse(AuditChain.GENESIS)));
            return out;
        });
    }

    /** Reads every head once; until then (or when it throws), every append fails. */
    public void load() {
        if (!loaded) {
            heads.putAll(reader.apply(Optional.empty()));
            loaded = true;
        }
    }

    /**
     * Reads every head on a daemon thread, again after each failure (Kafka not there yet) with a growing delay, until
     * read or {@code running} says stop; {@code onRetry} is told why each attempt failed.
     */
    public Thread loadInBackground(String name, BooleanSupplier running, Consumer<String> onRetry) {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        Thread thread = new Thread(() -> {
            for (int failures = 0; running.getAsBoolean() && !loaded; failures++) {
                try {
                    load();
                } catch (RuntimeException e) {
                    onRetry.accept(String.valueOf(e.getMessage()));
                    try {
                        Thread.sleep(backoff.delay(failures).toMillis());
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    public boolean loaded() {
        return loaded;
    }

    /**
     * Links {@code content} to the key's head and hands the hash to {@code write}, which returns once the record is
     * acknowledged; then the hash is the head. When {@code write} throws, the head is read again before the next append.
     *
     * @throws SpecChangePublisher.PublishFailed before writing anything when the heads are not read yet
     */
    public void append(String topic, String key, String content, Consumer<String> write) {
        if (!loaded) {
            throw new SpecChangePublisher.PublishFailed(topic, new IllegalStateException(
                    "the heads of the audit chain are not read from the topic yet"));
        }
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            if (unknown.contains(key)) {
                heads.put(key, reader.apply(Optional.of(key)).getOrDefault(key, AuditChain.GENESIS));
                unknown.remove(key);
            }
            String hash = AuditChain.link(heads.getOrDefault(key, AuditChain.GENESIS), content);
            try {
                write.accept(hash);
            } catch (RuntimeException e) {
                unknown.add(key);
                throw e;
            }
            heads.put(key, hash);
        }
    }
}
