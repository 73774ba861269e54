package dev.meshfleet.sandbox.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;

import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.schemas.Topics;
import dev.meshfleet.schemas.audit.AuditChain;
import dev.meshfleet.schemas.audit.TopicScan;
import dev.meshfleet.schemas.v1.AdmissionRecord;
import dev.meshfleet.schemas.v1.SpecChange;

/**
 * {@code history --verify}: reads one resource's records on the two audit topics and checks each one's hash chain
 * ({@link AuditChain#verify}), naming a record by topic, partition and offset and what it says.
 */
public final class ChainCheck {
    private final TopicScan scan;

    public ChainCheck(KafkaClientSettings kafka, Duration timeout) {
        this.scan = new TopicScan(kafka, timeout);
    }

    /** The verdict per topic, spec-changes first. */
    public record TopicVerdict(String topic, AuditChain.Verdict verdict) {
    }

    public List<TopicVerdict> check(String key) {
        scan.checkReachable();
        return List.of(
                verdict(Topics.SPEC_CHANGES, key, SpecChange.class, c -> new AuditChain.Link("", AuditChain.content(c),
                        c.getChainHash()), c -> "generation " + c.getGeneration() + " " + c.getOperation() + " observed "
                        + c.getObservedAt()),
                verdict(Topics.ADMISSIONS, key, AdmissionRecord.class, a -> new AuditChain.Link("",
                        AuditChain.content(a), a.getChainHash()), a -> a.getOperation() + " by " + a.getUsername()
                        + " of generation " + a.getGeneration() + " admitted " + a.getAdmittedAt()));
    }

    private <V extends SpecificRecord> TopicVerdict verdict(String topic, String key, Class<V> type,
            Function<V, AuditChain.Link> link, Function<V, String> describe) {
        List<AuditChain.Link> links = new ArrayList<>();
        for (TopicScan.Read<V> r : scan.read(topic, Optional.of(key), type, Function.identity()).records()) {
            AuditChain.Link l = link.apply(r.value());
            links.add(new AuditChain.Link(topic + "-" + r.partition() + "@" + r.offset() + " ("
                    + describe.apply(r.value()) + ")", l.content(), l.chainHash()));
        }
        return new TopicVerdict(topic, AuditChain.verify(links));
    }

    /** One line per topic. */
    public static String report(String key, List<TopicVerdict> verdicts) {
        StringBuilder out = new StringBuilder();
        for (TopicVerdict v : verdicts) {
            if (v.verdict() instanceof AuditChain.Verdict.Intact i) {
                out.append("chain intact: ").append(v.topic()).append(" ").append(key).append(": ").append(i.chained())
                        .append(" record(s) chained").append(i.unchained() == 0 ? ""
                                : ", " + i.unchained() + " written before the chain existed")
                        .append(i.chained() == 0 ? "" : ", head " + i.head()).append('\n');
            } else {
                AuditChain.Verdict.Broken b = (AuditChain.Verdict.Broken) v.verdict();
                out.append("chain broken: ").append(b.where()).append(": ").append(b.reason()).append('\n');
            }
        }
        return out.toString();
    }

    public static boolean intact(List<TopicVerdict> verdicts) {
        return verdicts.stream().allMatch(v -> v.verdict() instanceof AuditChain.Verdict.Intact);
    }
}
