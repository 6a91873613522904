package io.berth.server.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Group commit: who leaves with whom, and who gets which answer. */
class RequestBatcherTest {
  private static final Duration LONG = Duration.ofMinutes(5);
  /** Completions handled on the completing thread: the tests below then see each step as soon as it happened. */
  private static final Executor INLINE = Runnable::run;
  private static final ExecutorService POOL = Executors.newFixedThreadPool(2, r -> {
    final Thread t = new Thread(r, "batcher-test-completions");
    t.setDaemon(true);
    return t;
  });

  /** A sender whose batches the test completes by hand. */
  private static final class ManualSender implements RequestBatcher.Sender<String, String> {
    final List<List<String>> sent = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<List<String>>> replies = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<List<String>> send(List<String> batch) {
      sent.add(batch);
      final CompletableFuture<List<String>> reply = new CompletableFuture<>();
      replies.add(reply);
      return reply;
    }

    void answer(int i) {
      replies.get(i).complete(sent.get(i).stream().map(s -> "ok:" + s).toList());
    }
  }

  private static String get(CompletableFuture<String> f) throws Exception {
    return f.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aLoneRequestLeavesAtOnceAndAlone() throws Exception {
    final ManualSender sender = new ManualSender();
    final RequestBatcher<String, String> batcher = new RequestBatcher<>(sender, String::length, 2, 100, 1000, LONG, INLINE);
    final CompletableFuture<String> a = batcher.submit("a");
    assertEquals(List.of(List.of("a")), sender.sent);
    sender.answer(0);
    assertEquals("ok:a", get(a));
  }

  @Test
  void requestsArrivingWhileAllSlotsAreTakenLeaveTogetherInOrderWhenOneFrees() throws Exception {
    final ManualSender sender = new ManualSender();
    final RequestBatcher<String, String> batcher = new RequestBatcher<>(sender, String::length, 2, 100, 1000, LONG, INLINE);
    final CompletableFuture<String> a = batcher.submit("a");
    final CompletableFuture<String> b = batcher.submit("b");
    final List<CompletableFuture<String>> queued = new ArrayList<>();
    for (String s : List.of("c", "d", "e")) {
      queued.add(batcher.submit(s));
    }
    assertEquals(List.of(List.of("a"), List.of("b")), sender.sent, "two slots: a and b leave, c-e wait");
    assertEquals(3, batcher.waiting());

    sender.answer(1);
    assertEquals("ok:b", get(b));
    assertEquals(List.of("c", "d", "e"), sender.sent.get(2), "the waiting requests leave as one batch");
    assertEquals(0, batcher.waiting());
    sender.answer(2);
    sender.answer(0);
    assertEquals("ok:a", get(a));
    assertEquals(List.of("ok:c", "ok:d", "ok:e"), List.of(get(queued.get(0)), get(queued.get(1)),
        get(queued.get(2))));
  }

  @Test
  void batchesRespectTheItemAndByteLimitsButAnOversizedRequestStillLeaves() throws Exception {
    final ManualSender sender = new ManualSender();
    final RequestBatcher<String, String> batcher = new RequestBatcher<>(sender, String::length, 1, 3, 10, LONG, INLINE);
    batcher.submit("x"); // takes the only slot
    for (String s : List.of("1", "2", "3", "4", "0123456789abc", "5", "666666", "7777")) {
      batcher.submit(s);
    }
    for (int i = 0; i < 5; i++) {
      sender.answer(i);
    }
    assertEquals(List.of(List.of("x"), List.of("1", "2", "3"), List.of("4"), List.of("0123456789abc"),
        List.of("5", "666666"), List.of("7777")), sender.sent);
  }

  @Test
  void aFailedBatchFailsEachOfItsRequestsWithItsErrorAndTheNextBatchStillLeaves() throws Exception {
    final ManualSender sender = new ManualSender();
    final RequestBatcher<String, String> batcher = new RequestBatcher<>(sender, String::length, 1, 100, 1000, LONG, INLINE);
    final CompletableFuture<String> a = batcher.submit("a");
    final CompletableFuture<String> b = batcher.submit("b");
    final CompletableFuture<String> c = batcher.submit("c");
    final IllegalStateException boom = new IllegalStateException("no leader");
    sender.replies.get(0).completeExceptionally(boom);
    final ExecutionException e = assertThrows(ExecutionException.class, () -> get(a));
    assertSame(boom, e.getCause());
    assertEquals(List.of("b", "c"), sender.sent.get(1));
    sender.replies.get(1).completeExceptionally(boom);
    assertSame(boom, assertThrows(ExecutionException.class, () -> get(b)).getCause());
    assertSame(boom, assertThrows(ExecutionException.class, () -> get(c)).getCause());
    final CompletableFuture<String> d = batcher.submit("d");
    sender.answer(2);
    assertEquals("ok:d", get(d), "a failure does not keep the slot");
  }

  @Test
  void aBatchThatStallsStopsHoldingBackTheNextOneButStillAnswersItsCallers() throws Exception {
    final ManualSender sender = new ManualSender();
    final RequestBatcher<String, String> batcher =
        new RequestBatcher<>(sender, String::length, 1, 100, 1000, Duration.ofMillis(200), INLINE);
    final CompletableFuture<String> stuck = batcher.submit("stuck"); // its Raft request retries for long
    final CompletableFuture<String> next = batcher.submit("next");
    assertEquals(List.of(List.of("stuck")), sender.sent, "next waits for the only slot");
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sender.sent.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(List.of("next"), sender.sent.get(1), "after 200 ms the stalled batch no longer holds the slot");
    assertEquals(1, batcher.batchesStalled());
    sender.answer(1);
    assertEquals("ok:next", get(next));
    sender.answer(0);
    assertEquals("ok:stuck", get(stuck), "the stalled batch still delivers its own outcome");
    final CompletableFuture<String> after = batcher.submit("after");
    assertEquals(List.of("after"), sender.sent.get(2), "the late completion did not free a second slot");
    batcher.submit("queued");
    assertEquals(3, sender.sent.size(), "one slot: queued waits for after");
    sender.answer(2);
    assertEquals("ok:after", get(after));
  }

  @Test
  void aSenderThatThrowsOrMiscountsFailsTheBatchInsteadOfLosingTheCallers() throws Exception {
    final RequestBatcher<String, String> throwing = new RequestBatcher<>(batch -> {
      throw new IllegalArgumentException("bad batch");
    }, String::length, 1, 100, 1000, LONG, INLINE);
    final ExecutionException thrown = assertThrows(ExecutionException.class, () -> get(throwing.submit("a")));
    assertTrue(thrown.getCause() instanceof IllegalArgumentException, thrown.toString());
    assertThrows(ExecutionException.class, () -> get(throwing.submit("b")), "the slot was released");

    final RequestBatcher<String, String> miscounting = new RequestBatcher<>(
        batch -> CompletableFuture.completedFuture(List.of()), String::length, 1, 100, 1000, LONG, INLINE);
    final ExecutionException short_ = assertThrows(ExecutionException.class, () -> get(miscounting.submit("a")));
    assertTrue(short_.getCause().getMessage().contains("got 0 answers"), short_.toString());
  }

  @Test
  void manyConcurrentCallersEachGetTheirOwnAnswer() throws Exception {
    final RequestBatcher<String, String> batcher = new RequestBatcher<>(
        batch -> CompletableFuture.supplyAsync(() -> batch.stream().map(s -> "ok:" + s).toList()),
        String::length, 2, 16, 1 << 20, LONG, POOL);
    final List<CompletableFuture<String>> answers = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new ArrayList<>();
    for (int n = 0; n < 8; n++) {
      final int t = n;
      final Thread thread = new Thread(() -> {
        for (int i = 0; i < 500; i++) {
          final String request = t + "/" + i;
          answers.add(batcher.submit(request).thenApply(r -> {
            if (!r.equals("ok:" + request)) {
              throw new CompletionException(new AssertionError(request + " got " + r));
            }
            return r;
          }));
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(4000, answers.size());
    for (CompletableFuture<String> f : answers) {
      get(f);
    }
    assertEquals(0, batcher.waiting());
  }

  /**
   * Two embedded Ratis clients, each completing its replies inside its own lock, the lock its send needs too. The
   * batcher used to send the next batch from the completing thread: client 0's reply thread, holding lock 0, sent
   * to client 1 while client 1's reply thread, holding lock 1, sent to client 0, and both waited for good. Every
   * write of the member stopped (seen with 64 writers in flight and the default two embedded clients).
   */
  @Test
  void replyThreadsHoldingTheirClientsLocksDoNotDeadlockOnTheNextBatch() throws Exception {
    final ReentrantLock[] locks = {new ReentrantLock(), new ReentrantLock()};
    final List<List<String>> sent = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<List<String>>> replies = new CopyOnWriteArrayList<>();
    // The first two batches go to clients 0 and 1; a later one to the other client than the one whose lock the
    // sending thread holds, if any (RaftNode picks clients with a counter it shares with reads: either can be next).
    final RequestBatcher.Sender<String, String> clients = batch -> {
      final int held = locks[0].isHeldByCurrentThread() ? 0 : locks[1].isHeldByCurrentThread() ? 1 : -1;
      final ReentrantLock lock = locks[held >= 0 ? 1 - held : sent.size() % 2];
      try {
        if (!lock.tryLock(3, TimeUnit.SECONDS)) {
          return CompletableFuture.failedFuture(new IllegalStateException("deadlocked: " + batch + " never sent"));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CompletableFuture.failedFuture(e);
      }
      try {
        final CompletableFuture<List<String>> reply = new CompletableFuture<>();
        sent.add(batch);
        replies.add(reply);
        return reply;
      } finally {
        lock.unlock();
      }
    };
    final RequestBatcher<String, String> batcher = new RequestBatcher<>(clients, String::length, 2, 1, 1000, LONG,
        POOL);
    final List<CompletableFuture<String>> answers = new ArrayList<>();
    for (String r : List.of("a", "b", "c", "d")) {
      answers.add(batcher.submit(r));
    }
    assertEquals(List.of(List.of("a"), List.of("b")), sent);

    // Both clients' reply threads complete at the same moment, each inside its own client's lock; c and d then
    // leave, one batch for each freed slot.
    final CyclicBarrier bothLocked = new CyclicBarrier(2);
    final List<Thread> replyThreads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      final int client = i;
      final Thread t = new Thread(() -> {
        locks[client].lock();
        try {
          bothLocked.await(5, TimeUnit.SECONDS);
          replies.get(client).complete(List.of("ok:" + sent.get(client).get(0)));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        } finally {
          locks[client].unlock();
        }
      }, "reply-thread-" + client);
      t.setDaemon(true);
      t.start();
      replyThreads.add(t);
    }
    for (Thread t : replyThreads) {
      t.join(TimeUnit.SECONDS.toMillis(20));
    }
    assertEquals("ok:a", get(answers.get(0)));
    assertEquals("ok:b", get(answers.get(1)));
    for (int i = 0; i < 500 && replies.size() < 4; i++) {
      Thread.sleep(10);
    }
    for (int i = 2; i < replies.size(); i++) {
      replies.get(i).complete(List.of("ok:" + sent.get(i).get(0)));
    }
    assertEquals("ok:c", get(answers.get(2)));
    assertEquals("ok:d", get(answers.get(3)));
  }
}
