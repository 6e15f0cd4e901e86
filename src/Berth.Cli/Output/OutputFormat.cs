namespace Berth.Cli.Output;

/// <summary>How data verbs print what they fetched.</summary>
internal enum OutputFormat
{
    /// <summary>A human table.</summary>
    Table,

    /// <summary>Indented JSON in the API's conventions.</summary>
    Json,

    /// <summary>YAML with the same fields as the JSON.</summary>
    Yaml,
}
