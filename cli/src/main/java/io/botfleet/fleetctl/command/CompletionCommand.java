package io.botfleet.fleetctl.command;

import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.Fleetctl;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The bash/zsh completion script of every command and option, made from the command tree. */
@Command(
    name = "completion",
    header = "Print the bash/zsh completion script.",
    description =
        "Load it in the current shell, or add the line to ~/.bashrc (zsh: after `autoload -U"
            + " +X bashcompinit && bashcompinit` in ~/.zshrc).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  source <(fleetctl completion)",
      "  fleetctl completion > /etc/bash_completion.d/fleetctl"
    })
public final class CompletionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Fleetctl root = (Fleetctl) spec.root().userObject();
    String script = AutoComplete.bash("fleetctl", spec.root().commandLine());
    root.terminal().out().print(script);
    root.terminal().out().flush();
    return ExitCodes.OK;
  }
}
