package io.berth.testkit.demo;

import java.util.List;

/**
 * What {@code berth demo --report FILE} writes (field names are a fixed interface).
 *
 * @param ok                  every guarantee held
 * @param leaderBefore        the leader that was killed
 * @param leaderAfter         the leader that acknowledged the first write after the kill
 * @param failoverMillis      from SIGKILL of the leader to the first write acknowledged under the new leader
 * @param rescheduledPod      the pod that was deleted and rescheduled
 * @param ipBefore            its pod IP before
 * @param ipAfter             its pod IP after (must differ)
 * @param peerReconnectMillis from the rescheduled pod's start until every peer reached it at its new IP and
 *                            the leader replicated a new write to it; -1 if that never happened
 * @param keysWritten         keys written (and acknowledged) before the faults
 * @param keysVerified        keys read back, with the right value, from the rescheduled member's own volume
 * @param totalMillis         the demo's run time
 * @param failures            each guarantee that broke, in words; empty when ok
 */
public record DemoReport(boolean ok, String leaderBefore, String leaderAfter, long failoverMillis,
    String rescheduledPod, String ipBefore, String ipAfter, long peerReconnectMillis, int keysWritten,
    int keysVerified, long totalMillis, List<String> failures) {}
