package dev.spoa.supervisor.front;

import dev.spoa.ipc.FrontBell;
import dev.spoa.protocol.Status;
import dev.spoa.supervisor.AgentConfig;
import dev.spoa.supervisor.dispatch.Dispatcher;
import dev.spoa.supervisor.dispatch.ResultCollector;
import dev.spoa.worker.ErrorVariable;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * The SPOP server: one thread, one selector, every listener and connection on it, and the workers'
 * rings ({@link FrontBell}). Each turn of the loop reads what arrived, collects the workers'
 * results, writes the ACKs (one write per connection per turn), answers jobs past their deadline,
 * and wakes each worker that got jobs once.
 */
public final class Front implements AutoCloseable {
    /** Idle, the loop only wakes for sockets, rings and deadlines: a turn a second is enough. */
    private static final long MAX_SELECT_MILLIS = 1000;

    private final AgentConfig config;
    private final Dispatcher dispatcher;
    private final Selector selector;
    private final List<Listener> listeners;
    private final byte[] tooBigActions;
    private final Set<Connection> connections = new HashSet<>();
    /** Connections with ACKs to write at the end of the turn. */
    private final ArrayDeque<Connection> scheduled = new ArrayDeque<>();
    private final Thread thread;
    private final Runnable onFatal;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** {@link #onReady}, made once: a method reference per select would be garbage per turn. */
    private final Consumer<SelectionKey> onReady = this::onReady;
    /** The front told the workers it sleeps in select, and has not yet said it is awake. */
    private boolean parked;
    /** --busy-poll: how long after a connection's last event the loop polls instead of sleeping. */
    private final long busyPollNanos;
    /**
     * When a connection last had something to read or room to write. Only connections count: a
     * result that comes after the window (a handler slower than it) is rung for, as without polling.
     */
    private long lastConnectionEventNanos;
    /** When accept() fails (out of file descriptors, say), accepting pauses until then instead of spinning. */
    private long acceptPausedUntil;
    private volatile boolean running = true;
    private volatile Duration drainTimeout;
    private long lastConnectionId;
    private FrontBell bell;
    private ResultCollector results;

    private Front(AgentConfig config, Dispatcher dispatcher, Selector selector, List<Listener> listeners, Runnable onFatal) {
        this.config = config;
        this.onFatal = onFatal;
        this.dispatcher = dispatcher;
        this.selector = selector;
        this.listeners = listeners;
        this.tooBigActions = Dispatcher.errorActions(config.errorVariable(), ErrorVariable.TOO_BIG);
        this.busyPollNanos = config.busyPoll().toNanos();
        this.thread = new Thread(this::run, "spoa-front");
    }

    /**
     * Binds every listener the configuration asks for; fails with one clear message if one cannot be
     * bound. {@code onFatal} runs if the front's thread dies: the agent must then exit, not linger deaf.
     */
    public static Front bind(AgentConfig config, Dispatcher dispatcher, Runnable onFatal) throws IOException {
        List<Listener> listeners = new ArrayList<>();
        Selector selector = Selector.open();
        try {
            if (config.tcp().isPresent()) {
                listeners.add(Listener.tcp(config.tcp().get()));
            }
            if (config.unixSocket().isPresent()) {
                listeners.add(Listener.unix(config.unixSocket().get()));
            }
            for (Listener listener : listeners) {
                listener.channel().register(selector, SelectionKey.OP_ACCEPT, listener);
            }
        } catch (IOException e) {
            for (Listener listener : listeners) {
                listener.close();
            }
            selector.close();
            throw e;
        }
        return new Front(config, dispatcher, selector, listeners, onFatal);
    }

    /**
     * Where the workers' results come from: the bell they ring (its listener joins the selector)
     * and the collector that reads them. Before {@link #start}, once the run dir exists.
     */
    public void collectResults(FrontBell bell, ResultCollector results) throws IOException {
        this.bell = bell;
        this.results = results;
        bell.listener().register(selector, SelectionKey.OP_ACCEPT, bell);
    }

    public void start() {
        for (Listener listener : listeners) {
            Logger.info("listening on {}", listener);
        }
        thread.start();
    }

    /** From another thread: wakes the loop (a worker is gone, say, and its jobs are to be rescued). */
    public void wakeup() {
        selector.wakeup();
    }

    void schedule(Connection connection) {
        scheduled.add(connection);
    }

    void closed(Connection connection) {
        connections.remove(connection);
    }

    /**
     * Stops accepting, lets what is in flight be answered (up to {@code drainTimeout}), says
     * AGENT-DISCONNECT to every connection and stops the loop. Returns when all that is done.
     */
    public void stop(Duration timeout) throws InterruptedException {
        drainTimeout = timeout;
        running = false;
        selector.wakeup();
        if (!stopped.await(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
            Logger.warn("front did not stop in time");
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(1));
    }

    /** Closes the listening sockets and the selector: at the end of the loop, or for a front never started (the agent failed after binding). */
    public void unbind() {
        for (Listener listener : listeners) {
            try {
                listener.close();
            } catch (IOException e) {
                Logger.debug("closing {}: {}", listener, e.getMessage());
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            Logger.debug("closing the selector: {}", e.getMessage());
        }
    }

    private void run() {
        try {
            while (running) {
                turn();
            }
            drain();
        } catch (IOException | RuntimeException | Error e) {
            Logger.error(e, "the front failed; the agent stops");
            onFatal.run();
        } finally {
            for (Connection connection : new ArrayList<>(connections)) {
                connection.close();
            }
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Ringer ringer) {
                    closeQuietly(ringer.channel());
                }
            }
            unbind();
            stopped.countDown();
        }
    }

    private void turn() throws IOException {
        long now = System.nanoTime();
        long untilDeadline = dispatcher.expire(now);
        dispatcher.superviseWorkers(now);
        resumeAccepting(now);
        // Polling (--busy-poll): a sleeping core takes 100-300 us to wake in a VM (the hypervisor
        // must run it again), more than the request itself; so does a core that has run others
        // meanwhile, as its caches are cold. The results are read at every turn, so the workers
        // need not ring while the front polls.
        boolean polling = busyPollNanos > 0 && now - lastConnectionEventNanos < busyPollNanos;
        // ACKs waiting (timeouts just answered, say) or results in: no sleeping on them.
        if (scheduled.isEmpty() && !polling && bell.mayWait(results.anyResult())) {
            parked = true;
            selector.select(onReady, Math.min(MAX_SELECT_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(untilDeadline))));
            wakeUp();
        } else {
            selector.selectNow(onReady);
        }
        results.collect();
        dispatcher.expire(System.nanoTime());
        deliverScheduled();
        // Polling, the front yields at every turn: a worker woken on its core runs before the next poll.
        if (dispatcher.flush() || polling) {
            // A parked worker was just woken. Sharing this thread's core (the agent pinned to one
            // CPU, or more busy processes than cores), it runs only once this thread stops: yielding
            // lets it answer now, so its result is there at the next turn, without its ring (a byte
            // on the bell's socket) and our wake-up for it. With a core to spare the yield returns
            // at once. Measured pinned to one core: 1x1 7.1 k -> 9.1 k ACK/s, 8x1 70 k -> 95 k,
            // 5,000/s p50 96 -> 72 us and the front's CPU 30 -> 23 %.
            Thread.yield();
        }
    }

    /**
     * One ready key. The selector hands each to this action as it finds it, instead of adding it
     * to its selected-key set: that set allocated a node for every readiness, per request at low rates.
     */
    private void onReady(SelectionKey key) {
        wakeUp(); // first: the selector hands over the keys before select returns
        if (!key.isValid()) {
            return;
        }
        if (key.attachment() instanceof Listener listener) {
            accept(key, listener);
            return;
        }
        if (key.attachment() == bell) {
            acceptRinger(key);
            return;
        }
        if (key.attachment() instanceof Ringer ringer) {
            ringer.discardRings(key);
            return;
        }
        Connection connection = (Connection) key.attachment();
        if (busyPollNanos > 0) {
            lastConnectionEventNanos = System.nanoTime();
        }
        try {
            if (key.isWritable()) {
                connection.onWritable();
            }
            if (key.isValid() && key.isReadable()) {
                connection.onReadable();
            }
        } catch (RuntimeException e) {
            // One connection's trouble is not the agent's: close it, serve the others.
            Logger.error(e, "connection {}: unexpected failure; closing it", connection.id());
            connection.close();
        }
    }

    /**
     * Tells the workers the front is awake, once per sleep: from the first ready key on, not only
     * once select returns, or a worker appending a result while the front handles the keys would
     * ring it for nothing (a byte written, read and discarded).
     */
    private void wakeUp() {
        if (parked) {
            parked = false;
            bell.awake();
        }
    }

    /** A worker's connection to the bell, on which it rings. */
    private record Ringer(SocketChannel channel, FrontBell bell) {
        void discardRings(SelectionKey key) {
            try {
                if (bell.discardRings(channel)) {
                    return;
                }
            } catch (IOException e) {
                Logger.debug("a worker's bell connection: {}", e.getMessage());
            }
            key.cancel(); // the worker exited
            closeQuietly(channel);
        }
    }

    private void acceptRinger(SelectionKey key) {
        try {
            SocketChannel channel;
            while ((channel = bell.accept()) != null) {
                channel.register(selector, SelectionKey.OP_READ, new Ringer(channel, bell));
            }
        } catch (IOException e) {
            // Out of file descriptors, say: paused like the SPOP listeners, or the selector would
            // spin on the pending connection. The worker's next ring connects again; until then its
            // results wait for the next turn (a second at most).
            Logger.warn("cannot accept a worker's bell connection: {}; pausing accepts for 100 ms", e.getMessage());
            key.interestOps(0);
            acceptPausedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        }
    }

    private void resumeAccepting(long now) {
        if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
            acceptPausedUntil = 0;
            for (Listener listener : listeners) {
                SelectionKey key = listener.channel().keyFor(selector);
                if (key != null && key.isValid()) {
                    key.interestOps(SelectionKey.OP_ACCEPT);
                }
            }
            SelectionKey bellKey = bell.listener().keyFor(selector);
            if (bellKey != null && bellKey.isValid()) {
                bellKey.interestOps(SelectionKey.OP_ACCEPT);
            }
        }
    }

    private void deliverScheduled() {
        Connection connection;
        while ((connection = scheduled.poll()) != null) {
            try {
                connection.writeAcks();
            } catch (RuntimeException e) {
                Logger.error(e, "connection {}: unexpected failure; closing it", connection.id());
                connection.close();
            }
        }
    }

    private void accept(SelectionKey key, Listener listener) {
        SocketChannel channel = null;
        try {
            while ((channel = listener.channel().accept()) != null) {
                channel.configureBlocking(false);
                if (channel.getLocalAddress() instanceof java.net.InetSocketAddress) {
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                Connection connection = new Connection(++lastConnectionId, channel, this, dispatcher, config.maxFrameSize(),
                        config.maxInFlightPerConnection(), tooBigActions);
                connection.register(channel.register(selector, SelectionKey.OP_READ, connection));
                connections.add(connection);
                dispatcher.metrics().front().connectionAccepted();
                Logger.debug("connection {}: accepted from {} on {}", connection.id(), remote(channel), listener);
                channel = null;
            }
        } catch (IOException e) {
            // Out of file descriptors, typically: the pending connection stays in the backlog, and
            // retrying at once would spin. Pause accepting briefly; existing connections go on.
            Logger.warn("cannot accept on {}: {}; pausing accepts for 100 ms", listener, e.getMessage());
            closeQuietly(channel);
            key.interestOps(0);
            acceptPausedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    /**
     * Shutdown: no new connections; each connection reads what HAProxy sent before the signal
     * ({@link Connection#startDraining} has the rule), answers every NOTIFY it read, and then, or
     * when the drain timeout is up, is told AGENT-DISCONNECT and closed.
     */
    private void drain() throws IOException {
        for (Listener listener : listeners) {
            listener.channel().keyFor(selector).cancel();
            listener.close();
        }
        for (Connection connection : new ArrayList<>(connections)) {
            connection.startDraining();
        }
        long giveUp = System.nanoTime() + drainTimeout.toNanos();
        // Until every NOTIFY read is answered on its connection, not merely until the workers are
        // done: a result may be out of the pending table and not yet written.
        while (!allDrained() && System.nanoTime() < giveUp) {
            turn();
        }
        deliverScheduled();
        if (!allDrained()) {
            Logger.warn("drain timed out: {} NOTIFYs unanswered, {} connections not read to the end of what came before the signal",
                    connections.stream().mapToLong(Connection::inFlight).sum(),
                    connections.stream().filter(connection -> !connection.drained()).count());
        }
        for (Connection connection : new ArrayList<>(connections)) {
            connection.disconnect(Status.NORMAL);
        }
        // Our goodbyes go out; HAProxy closes on reading them (the connections linger until then).
        // Results no longer matter: a worker connecting to ring now must not keep the selector awake.
        bell.listener().keyFor(selector).cancel();
        long closeBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!connections.isEmpty() && System.nanoTime() < closeBy) {
            selector.select(10);
            for (SelectionKey key : selector.selectedKeys()) {
                if (key.isValid() && key.attachment() instanceof Connection connection) {
                    if (key.isWritable()) {
                        connection.onWritable();
                    }
                    if (key.isValid() && key.isReadable()) {
                        connection.onReadable();
                    }
                } else if (key.isValid() && key.attachment() instanceof Ringer ringer) {
                    ringer.discardRings(key); // unread, it would keep the selector from waiting
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private boolean allDrained() {
        for (Connection connection : connections) {
            if (!connection.drained()) {
                return false;
            }
        }
        return true;
    }

    private static String remote(SocketChannel channel) {
        try {
            SocketAddress address = channel.getRemoteAddress();
            return address == null ? "a Unix socket peer" : address.toString();
        } catch (IOException e) {
            return "?";
        }
    }
}
