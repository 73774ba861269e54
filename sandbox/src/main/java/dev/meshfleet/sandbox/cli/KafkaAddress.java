package dev.meshfleet.sandbox.cli;

import dev.meshfleet.sandbox.RepoLayout;
import dev.meshfleet.sandbox.kafka.RunningBroker;

/** Where the commands that read the topics find Kafka: the address given, else the broker of the sandbox running now. */
final class KafkaAddress {
    private KafkaAddress() {
    }

    /**
     * {@code given} when set, else the running sandbox's broker.
     *
     * @throws UsageException naming {@code command} and {@code option} when neither is there
     */
    static String of(String given, String command, String option) throws UsageException {
        if (given != null && !given.isBlank()) {
            return given.trim();
        }
        RepoLayout layout = RepoLayout.locate();
        return RunningBroker.find(layout.sandboxRoot()).orElseThrow(() -> new UsageException(command + ": no sandbox is"
                + " running under " + layout.sandboxRoot() + "; start one with ./meshfleet sandbox up, or give "
                + option + " HOST:PORT"));
    }
}
