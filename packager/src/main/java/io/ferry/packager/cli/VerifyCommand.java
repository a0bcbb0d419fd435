package io.ferry.packager.cli;

import io.ferry.packager.Verifier;
import io.ferry.packager.store.Redaction;
import io.ferry.packager.store.Stores;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ferry-package verify URI}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Checks that the object at URI is reachable and matches URI.sha512.")
final class VerifyCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "URI", description = "The published archive.")
  String target;

  @Mixin
  StoreFlags flags;

  private final FerryPackage root;

  VerifyCommand(FerryPackage root) {
    this.root = root;
  }

  @Override
  public Integer call() throws IOException {
    java.net.URI uri = Stores.parse(target);
    Stores stores = StoresFromFlags.stores(flags, uri, root.env());
    Verifier.Result result = new Verifier(stores).verify(uri, root.progress("verifying"));
    root.out().println("OK " + Redaction.uri(result.uri()) + " size=" + result.size() + " sha512=" + result.sha512());
    return ExitCodes.OK;
  }
}
