package dev.spoa.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.Status;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generator against a small agent of the tests' own: what it counts, what it reports. Nothing
 * here depends on how fast the machine is: counts are checked against each other, never against time.
 */
class LoadGeneratorTest {
    private static final AckCheck CHECK = new AckCheck("ip_score", "spoa_error");

    @Test
    void aClosedLoopCountsEveryAnsweredNotify() throws Exception {
        try (ScriptedAgent agent = new ScriptedAgent(n -> ScriptedAgent.SCORE)) {
            LoadResult result = run(agent, 3, 4, new Pacing.ClosedLoop(), 2);
            assertTrue(result.acks() > 0, result.toString());
            assertEquals(result.acks(), result.latency().total());
            assertEquals(0, result.errors() + result.empty() + result.missing() + result.mismatched() + result.unanswered());
            assertTrue(result.clean(), result.toString());
            assertTrue(agent.notifies() >= result.acks(), "warm-up NOTIFYs are not counted");
        }
    }

    @Test
    void errorAnswersAndMissingVariablesAreCountedApart() throws Exception {
        Action other = new Action.SetVar(VarScope.TXN, "something_else", new TypedData.Int32(1));
        ScriptedAgent.Script script = n -> switch ((int) (n % 3)) {
            case 0 -> ScriptedAgent.SCORE;
            case 1 -> ScriptedAgent.ERROR;
            default -> new ScriptedAgent.Behaviour.Answer(List.of(other));
        };
        try (ScriptedAgent agent = new ScriptedAgent(script)) {
            LoadResult result = run(agent, 1, 1, new Pacing.ClosedLoop(), 1);
            assertTrue(result.errors() > 0 && result.missing() > 0, result.toString());
            assertTrue(Math.abs(result.errors() - result.missing()) <= 1, "one NOTIFY in three each: " + result);
            assertTrue(Math.abs(result.acks() - 3 * result.errors()) <= 3, result.toString());
            assertEquals(0, result.empty());
        }
    }

    @Test
    void acksWithoutActionsAreCounted() throws Exception {
        try (ScriptedAgent agent = new ScriptedAgent(n -> new ScriptedAgent.Behaviour.Answer(List.of()))) {
            LoadResult result = run(agent, 2, 2, new Pacing.ClosedLoop(), 1);
            assertTrue(result.acks() > 0);
            assertEquals(result.acks(), result.empty());
            assertTrue(!result.clean());
        }
    }

    @Test
    void anAgentDisconnectIsAFailureNamingItsStatus() throws Exception {
        ScriptedAgent.Script script = n -> n == 50 ? new ScriptedAgent.Behaviour.Disconnect(Status.RESOURCE_ERROR, "out of workers")
                : ScriptedAgent.SCORE;
        try (ScriptedAgent agent = new ScriptedAgent(script)) {
            LoadResult result = run(agent, 1, 4, new Pacing.ClosedLoop(), 1);
            assertEquals(1, result.failures().size(), result.toString());
            String failure = result.failures().get(0);
            assertTrue(failure.startsWith("connection 0: ") && failure.contains("AGENT-DISCONNECT status 13")
                    && failure.contains("out of workers"), failure);
            assertTrue(!result.clean());
        }
    }

    @Test
    void notifiesNeverAnsweredAreReportedAfterTheDrain() throws Exception {
        ScriptedAgent.Script script = n -> n % 100 == 99 ? new ScriptedAgent.Behaviour.Ignore() : ScriptedAgent.SCORE;
        try (ScriptedAgent agent = new ScriptedAgent(script)) {
            LoadResult result = run(agent, 2, 4, new Pacing.ClosedLoop(), 1);
            assertTrue(result.unanswered() > 0, result.toString());
            assertTrue(result.unanswered() <= 8, "never more than what was in flight: " + result);
            assertTrue(result.failures().isEmpty());
        }
    }

    @Test
    void aFixedRateSendsWhatIsDueInTheWindow() throws Exception {
        try (ScriptedAgent agent = new ScriptedAgent(n -> ScriptedAgent.SCORE)) {
            LoadResult result = run(agent, 4, 16, new Pacing.FixedRate(400), 2);
            // 400/s over 2 s: 800 due, give or take one per connection at each end of the window.
            long due = result.acks() + result.backlog() + result.unanswered();
            assertTrue(Math.abs(due - 800) <= 8, result.toString());
            assertEquals(result.acks(), result.latency().total());
        }
    }

    @Test
    void severalThreadsShareTheConnections() throws Exception {
        try (ScriptedAgent agent = new ScriptedAgent(n -> ScriptedAgent.SCORE)) {
            LoadPlan plan = new LoadPlan(agent.endpoint(), 5, 3, new Pacing.ClosedLoop(), Duration.ofMillis(100),
                    Duration.ofMillis(500), 2, CHECK);
            LoadResult result = LoadGenerator.start(plan).await();
            assertTrue(result.acks() > 0 && result.clean(), result.toString());
        }
    }

    @Test
    void aRefusedConnectionIsOneClearFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        LoadPlan plan = new LoadPlan(Endpoint.tcp("127.0.0.1", port), 2, 1, new Pacing.ClosedLoop(), Duration.ZERO,
                Duration.ofMillis(100), 1, CHECK);
        LoadFailure failure = assertThrows(LoadFailure.class, () -> LoadGenerator.start(plan));
        assertTrue(failure.getMessage().contains("cannot connect to 127.0.0.1:" + port), failure.getMessage());
    }

    private static LoadResult run(ScriptedAgent agent, int connections, int inFlight, Pacing pacing, int seconds)
            throws Exception {
        LoadPlan plan = new LoadPlan(agent.endpoint(), connections, inFlight, pacing, Duration.ofMillis(200),
                Duration.ofSeconds(seconds), 1, CHECK);
        return LoadGenerator.start(plan).await();
    }
}
