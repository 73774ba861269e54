package dev.meshfleet.sandbox.status;

/** One installation of one resource in one cluster, as the table shows it. */
public record InstallationRow(String cluster, String revision, String state, String message) {
}
