package dev.meshfleet.installer.reconcile;

import dev.meshfleet.schemas.v1.InstallationEvent;

/** Where installation events go (Kafka in the service, a list in tests). */
@FunctionalInterface
public interface EventSink {
    void emit(String key, InstallationEvent event);
}
