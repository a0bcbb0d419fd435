import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Build step (run by Maven in source-file mode, never shipped): writes the descriptors that the
 * official org.apache.mesos:mesos jar embeds for mesos/v1/{mesos,executor,scheduler}.proto, with
 * their dependencies first, as a FileDescriptorSet. protoc then regenerates current Java classes
 * from it, so the jar's pre-3.22 generated classes never reach the run-time classpath.
 *
 * Usage: java -cp mesos.jar:protobuf-java.jar DumpMesosDescriptors.java OUT.desc
 */
public class DumpMesosDescriptors {
  public static void main(String[] args) throws Exception {
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    Set<String> seen = new HashSet<>();
    add(org.apache.mesos.v1.executor.Protos.getDescriptor(), set, seen);
    add(org.apache.mesos.v1.scheduler.Protos.getDescriptor(), set, seen);
    Path out = Path.of(args[0]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, set.build().toByteArray());
    System.out.println("wrote " + set.getFileCount() + " file descriptors to " + out);
  }

  private static void add(FileDescriptor file, FileDescriptorSet.Builder set, Set<String> seen) {
    if (!seen.add(file.getName())) {
      return;
    }
    for (FileDescriptor dependency : file.getDependencies()) {
      add(dependency, set, seen);
    }
    set.addFile(file.toProto());
  }
}
