import Analyses
import ArgumentParser
import NeuronModules

extension LayerGroupingChoice: ExpressibleByArgument {}
extension ModulesOptions.GraphKind: ExpressibleByArgument {}
extension ModulesOptions.KernelNormChoice: ExpressibleByArgument {}
extension TaskShift: ExpressibleByArgument {}
