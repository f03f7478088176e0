// The tabcorr command-line tool: thin; Lab parses the arguments and runs the command.
import Foundation
import Lab

exit(TabCorrCLI.main(Array(CommandLine.arguments.dropFirst())))
