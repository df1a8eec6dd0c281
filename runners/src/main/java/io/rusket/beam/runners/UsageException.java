package io.rusket.beam.runners;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A user mistake on the command line or in the input: a bad or missing option, a missing,
 * unreadable or malformed file, an output that cannot be written. {@link Main} prints its message
 * as one {@code error: } line on stderr, without a stack trace, and exits with {@link
 * Main#EXIT_USAGE}.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }

  /** "{@code action path: reason}", e.g. "cannot write out/x.csv: no such file or directory". */
  static UsageException io(String action, Path path, IOException e) {
    return new UsageException(action + " " + path + ": " + reason(e), e);
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "not a directory: " + ((java.nio.file.FileAlreadyExistsException) e).getFile();
    }
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      return ((FileSystemException) e).getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
