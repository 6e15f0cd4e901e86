using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Berth.Server.Hosting.Settings;

/// <summary>
/// The one way Berth binds settings: <c>services.AddOptions&lt;T&gt;().BindSettings(section).ValidateOnStart()</c> and an
/// <see cref="IValidateOptions{TOptions}"/> whose messages name the key to set.
/// </summary>
internal static class SettingsBinding
{
    /// <summary>
    /// Binds <paramref name="section"/> like <c>Bind</c>, except that durations may be written <c>30s</c> as well as <c>00:00:30</c>;
    /// a duration that is neither is left at its default and reported by a validator naming its key.
    /// </summary>
    public static OptionsBuilder<T> BindSettings<T>(this OptionsBuilder<T> builder, IConfigurationSection section)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Configure(options => Bind(section, options));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>>(new DurationSettingsValidator<T>(section)));
        return builder;
    }

    /// <summary>Binds <paramref name="section"/> into <paramref name="options"/> as <see cref="BindSettings{T}"/> does, for settings read before the container exists.</summary>
    public static T Bind<T>(IConfigurationSection section, T options)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);

        // Full keys, so the binder's own errors (an enum or a number it cannot read) name the key as the operator writes it.
        var values = section.AsEnumerable().ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var key in DurationSettings.KeysOf(typeof(T)).Select(k => ConfigurationPath.Combine(section.Path, k)))
        {
            if (values.TryGetValue(key, out var text) && text is not null)
            {
                if (DurationSettings.TryParse(text, out var value))
                {
                    values[key] = value.ToString("c", CultureInfo.InvariantCulture);
                }
                else
                {
                    values.Remove(key);
                }
            }
        }

        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(section.Path).Bind(options);
        return options;
    }
}
