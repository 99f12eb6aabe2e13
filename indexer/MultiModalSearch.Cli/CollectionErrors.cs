using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Cli;

/// <summary>Says where a missing collection was looked for and how to make one.</summary>
internal static class CollectionErrors
{
    public static async Task<T> InAsync<T>(CliHost host, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (CollectionNotFoundException e)
        {
            throw new CliUsageException(
                $"no collection '{e.Collection}' in {host.Db.Description}; index one first with 'mms index PATH --collection {e.Collection}'");
        }
    }
}
