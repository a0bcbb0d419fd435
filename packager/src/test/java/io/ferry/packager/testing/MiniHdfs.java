package io.ferry.packager.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real HDFS (namenode + datanodes) on loopback, in this JVM, under a test's directory. */
public final class MiniHdfs implements AutoCloseable {

  private final MiniDFSCluster cluster;

  private MiniHdfs(MiniDFSCluster cluster) {
    this.cluster = cluster;
  }

  public static MiniHdfs start(Path baseDir, int datanodes) throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toAbsolutePath().toString());
    conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    // Fail fast once the datanodes are gone instead of waiting for replacements.
    conf.setInt("dfs.client.block.write.retries", 1);
    conf.set("dfs.client.block.write.replace-datanode-on-failure.enable", "false");
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(datanodes).build();
    cluster.waitActive();
    return new MiniHdfs(cluster);
  }

  /** {@code hdfs://127.0.0.1:port} */
  public URI uri() {
    return URI.create("hdfs://127.0.0.1:" + cluster.getNameNodePort());
  }

  public URI uri(String path) {
    return uri().resolve(path);
  }

  /** A client configuration that reaches this cluster and fails fast when it is gone. */
  public Configuration clientConf() {
    Configuration conf = new Configuration(cluster.getConfiguration(0));
    conf.set("fs.defaultFS", uri().toString());
    conf.setInt("ipc.client.connect.max.retries", 1);
    conf.setInt("ipc.client.connect.max.retries.on.timeouts", 1);
    return conf;
  }

  public FileSystem fileSystem() throws IOException {
    return cluster.getFileSystem();
  }

  /** Failure injection: every datanode stops; the namenode stays up. */
  public void stopDataNodes() {
    cluster.shutdownDataNodes();
  }

  @Override
  public void close() {
    cluster.shutdown(true);
  }
}
