package org.permedatlas.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community in this JVM with a Bolt connector on 127.0.0.1, for the Node process that started it.
 *
 * <p>Contract with the parent (src/db/embedded-neo4j.ts):
 * <ul>
 *   <li>arguments: {@code <storeDir> <pluginDir> <boltPort>}; the password comes from the environment
 *       variable {@code ATLAS_NEO4J_PASSWORD}, never from the command line where {@code ps} shows it;</li>
 *   <li>one JSON line {@code {"event":"ready",...}} on stdout once Bolt accepts connections, and
 *       {@code {"event":"stopped"}} after a clean shutdown; diagnostics go to stderr;</li>
 *   <li>it shuts down cleanly on SIGINT/SIGTERM and when its stdin closes, so that it never outlives
 *       a parent that died without cleaning up.</li>
 * </ul>
 */
public final class EmbeddedNeo4j {
  private static final String USER = "neo4j";

  private EmbeddedNeo4j() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      fail("usage: EmbeddedNeo4j <storeDir> <pluginDir> <boltPort>");
    }
    Path storeDir = Path.of(args[0]).toAbsolutePath();
    Path pluginDir = Path.of(args[1]).toAbsolutePath();
    int boltPort = Integer.parseInt(args[2]);
    String password = System.getenv("ATLAS_NEO4J_PASSWORD");
    if (password == null || password.length() < 8) {
      fail("ATLAS_NEO4J_PASSWORD must be set to at least 8 characters");
    }
    Files.createDirectories(storeDir);

    DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(storeDir)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort))
        .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", boltPort))
        .setConfig(HttpConnector.enabled, false)
        .setConfig(HttpsConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, true)
        .setConfig(GraphDatabaseSettings.plugin_dir, pluginDir)
        .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"))
        .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb()))
        .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(10));
    Long transactionMemoryMb = transactionMemoryMb();
    if (transactionMemoryMb != null) {
      builder.setConfig(
          GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(transactionMemoryMb));
    }
    DatabaseManagementService service = builder.build();

    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean(false);
    Runnable shutdown = () -> {
      if (stopping.compareAndSet(false, true)) {
        service.shutdown();
        System.out.println("{\"event\":\"stopped\"}");
        System.out.flush();
        stopped.countDown();
      }
    };
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      shutdown.run();
      awaitQuietly(stopped);
    }, "atlas-neo4j-shutdown"));

    setPassword(service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
    GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    String version = (String) db.executeTransactionally(
        "CALL dbms.components() YIELD versions RETURN versions[0] AS v", java.util.Map.of(),
        result -> result.next().get("v"));

    System.out.println("{\"event\":\"ready\",\"boltPort\":" + boltPort + ",\"version\":\"" + version
        + "\",\"pid\":" + ProcessHandle.current().pid() + "}");
    System.out.flush();

    Thread parentWatch = new Thread(() -> {
      drain(System.in);
      System.exit(0);
    }, "atlas-parent-watch");
    parentWatch.setDaemon(true);
    parentWatch.start();

    stopped.await();
  }

  /** Sets the single user's password; the system database accepts the same password only once. */
  private static void setPassword(GraphDatabaseService system, String password) {
    try {
      system.executeTransactionally(
          "ALTER USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
          java.util.Map.of("password", password));
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
        throw e;
      }
    }
  }

  /** All transactions together; unset, Neo4j's own default (70% of the heap). */
  private static Long transactionMemoryMb() {
    String value = System.getenv("ATLAS_NEO4J_TX_MEMORY_MB");
    return value == null || value.isBlank() ? null : Long.parseLong(value.trim());
  }

  private static long pageCacheMb() {
    String value = System.getenv("ATLAS_NEO4J_PAGECACHE_MB");
    return value == null || value.isBlank() ? 512 : Long.parseLong(value.trim());
  }

  private static void drain(InputStream in) {
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // The parent never writes; reading only detects the end of the pipe.
      }
    } catch (IOException ignored) {
      // A broken pipe means the same as end of input: the parent is gone.
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }
}
