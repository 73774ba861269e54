package dev.meshfleet.aggregator.events;

import dev.meshfleet.schemas.state.InstallationState;

/**
 * One installation that the next status shows in another state than the resource shows now.
 *
 * @param installation {@code cluster/revision} as the status keys them ({@code *}, {@code default})
 * @param from         the state shown now, empty for an installation the resource does not show yet
 * @param timeMillis   when the event that brought the new state was observed (event data, not a clock)
 */
public record Transition(String installation, String from, InstallationState to, String message, long timeMillis) {
}
