// StandardError: printing to stderr without Foundation.
import Glibc

func printToStandardError(_ line: String) {
    var text = line
    text.append("\n")
    text.withCString { p in _ = write(2, p, strlen(p)) }
}
