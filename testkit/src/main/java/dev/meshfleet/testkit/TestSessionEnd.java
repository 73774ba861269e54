package dev.meshfleet.testkit;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the JVM's in-process broker when the JUnit session ends: after the last test and after
 * Quarkus has stopped the application under test, while the JVM is still running normally.
 * Registered through META-INF/services, so every module that has testkit on its test class path
 * gets it without configuration.
 */
public class TestSessionEnd implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        InProcessKafka.closeShared();
    }
}
