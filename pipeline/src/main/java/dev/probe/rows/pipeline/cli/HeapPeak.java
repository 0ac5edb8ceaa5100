package dev.probe.rows.pipeline.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most heap this JVM (the workers' too, when they run here) had in use at once while this is
 * open: the heap's fill just before each collection, when it is fullest, and now. The heap pools'
 * own peaks come at different times, so their sum overstates the peak, past -Xmx even (1,202 MB
 * reported for a run at -Xmx1g).
 */
final class HeapPeak implements AutoCloseable {
  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());
  private final AtomicLong peak = new AtomicLong();
  private final List<NotificationEmitter> collectors = new ArrayList<>();
  private final NotificationListener beforeEachCollection = this::collected;

  private HeapPeak() {}

  /** Starts watching the collectors of this JVM. */
  static HeapPeak start() {
    HeapPeak heap = new HeapPeak();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter) {
        NotificationEmitter emitter = (NotificationEmitter) collector;
        emitter.addNotificationListener(heap.beforeEachCollection, null, null);
        heap.collectors.add(emitter);
      }
    }
    return heap;
  }

  private void collected(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    peak.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
  }

  private long heapUsed(Map<String, MemoryUsage> usageByPool) {
    return usageByPool.entrySet().stream()
        .filter(pool -> heapPools.contains(pool.getKey()))
        .mapToLong(pool -> pool.getValue().getUsed())
        .sum();
  }

  /** The peak so far, in bytes. */
  long bytes() {
    long now =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> heapPools.contains(pool.getName()))
            .mapToLong(pool -> pool.getUsage().getUsed())
            .sum();
    return Math.max(peak.get(), now);
  }

  @Override
  public void close() {
    for (NotificationEmitter collector : collectors) {
      try {
        collector.removeNotificationListener(beforeEachCollection);
      } catch (ListenerNotFoundException e) {
        // Already gone: nothing to stop.
      }
    }
  }
}
