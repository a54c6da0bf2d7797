package dev.quorum.reliability;

import java.time.Duration;

/**
 * One row of the fault-injection table: what was broken, where, and what Quorum made of it. Any suite that injects
 * faults (these scenarios, the Sentinel failover and Cluster tests in {@code store/}) records its rows with
 * {@link ScenarioTable#publish} so that one table shows them all.
 *
 * @param name        what the scenario does, e.g. {@code SIGKILL instance while a deploy executes}
 * @param killedAt    the stage at which the fault was injected, as the test observed it
 * @param outcome     what Quorum did about it ({@code failed: interrupted} and the like); {@code FAILED: …} when an
 *                    assertion of the scenario failed
 * @param finalStates each request of the scenario and the state it ended in
 * @param executed    how often the side effect happened (deploy script lines, pushes, test runs)
 * @param auditOk     whether the audit chain verified and held every state change of the scenario's requests
 * @param time        from the fault to the last request's final state
 */
public record Scenario(String name, String killedAt, String outcome, String finalStates, String executed, boolean auditOk,
                       Duration time) {
}
