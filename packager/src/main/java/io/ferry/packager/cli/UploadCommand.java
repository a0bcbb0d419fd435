package io.ferry.packager.cli;

import io.ferry.packager.Publisher;
import io.ferry.packager.store.Redaction;
import io.ferry.packager.store.Stores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry-package upload FILE URI}. */
@Command(name = "upload", mixinStandardHelpOptions = true,
    description = {"Publishes FILE at URI, then FILE's SHA-512 at URI.sha512.",
        "URI: a path, file://, hdfs://, webhdfs://, s3://, s3a://, s3n://, http:// or https://.",
        "A URI ending in / or naming an existing directory gets FILE under its own name, as with hadoop fs -put.",
        "Atomic: a failed upload never leaves a partial object at URI."})
final class UploadCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The archive to publish.")
  Path file;

  @Parameters(index = "1", paramLabel = "URI", description = "Where to publish it: the object's URI, or a directory (ending in /, or existing) to put it in.")
  String target;

  @Option(names = "--overwrite", description = "Replace an existing object.")
  boolean overwrite;

  @Mixin
  StoreFlags flags;

  private final FerryPackage root;

  UploadCommand(FerryPackage root) {
    this.root = root;
  }

  @Override
  public Integer call() throws IOException {
    java.net.URI uri = Stores.parse(target);
    Stores stores = StoresFromFlags.stores(flags, uri, root.env());
    Publisher.Result result = new Publisher(stores)
        .publish(file, uri, overwrite, root.progress("uploading"));
    root.out().println(Redaction.uri(result.archive()) + " size=" + result.size() + " sha512=" + result.sha512());
    return ExitCodes.OK;
  }
}
