using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Documents.Figures;

/// <summary>
/// Groups a page's paths and images into drawings: elements closer than <see cref="JoinDistance"/> points join. Done on
/// a coarse occupancy grid rather than pair by pair, so the cost is linear in the number of elements plus the grid
/// (a page with 100,000 tiny paths costs milliseconds, not 10^10 comparisons): each element marks its inflated box
/// with four writes to a 2-D difference array, one prefix sum fills the grid, and a flood fill labels the drawings.
/// </summary>
internal static class GraphicClusterer
{
    public const double JoinDistance = 6;

    private const double MinCell = 3;

    /// <summary>The grid never exceeds about this many cells, however large the page.</summary>
    private const double MaxCells = 1_000_000;

    public static List<GraphicCluster> Cluster(IReadOnlyList<GraphicElement> elements, double pageWidth, double pageHeight)
    {
        var clusters = new List<GraphicCluster>();
        if (elements.Count == 0 || pageWidth <= 0 || pageHeight <= 0)
            return clusters;
        double cell = Math.Max(MinCell, Math.Sqrt(pageWidth * pageHeight / MaxCells));
        int nx = (int)Math.Ceiling(pageWidth / cell) + 1, ny = (int)Math.Ceiling(pageHeight / cell) + 1;
        var grid = new int[(nx + 1) * (ny + 1)];
        var cells = new (int X0, int Y0, int X1, int Y1)[elements.Count];
        for (int i = 0; i < elements.Count; i++)
        {
            var box = elements[i].Box.Inflate(JoinDistance / 2).ClipTo(pageWidth, pageHeight);
            int x0 = (int)(box.Left / cell), y0 = (int)(box.Top / cell);
            int x1 = Math.Min(nx - 1, (int)(box.Right / cell)), y1 = Math.Min(ny - 1, (int)(box.Bottom / cell));
            cells[i] = (x0, y0, x1, y1);
            if (x1 < x0 || y1 < y0)
                continue;
            grid[y0 * (nx + 1) + x0]++;
            grid[y0 * (nx + 1) + x1 + 1]--;
            grid[(y1 + 1) * (nx + 1) + x0]--;
            grid[(y1 + 1) * (nx + 1) + x1 + 1]++;
        }
        PrefixSum(grid, nx + 1, ny + 1);
        var labels = Label(grid, nx, ny, out int count);
        var byLabel = new GraphicCluster?[count];
        for (int i = 0; i < elements.Count; i++)
        {
            var (x0, y0, x1, y1) = cells[i];
            if (x1 < x0 || y1 < y0)
                continue; // off the page
            int label = labels[y0 * nx + x0];
            var cluster = byLabel[label] ??= new GraphicCluster(elements[i].Box);
            cluster.Add(elements[i]);
        }
        foreach (var cluster in byLabel)
            if (cluster is not null)
                clusters.Add(cluster);
        return clusters;
    }

    private static void PrefixSum(int[] grid, int width, int height)
    {
        for (int y = 0; y < height; y++)
            for (int x = 1; x < width; x++)
                grid[y * width + x] += grid[y * width + x - 1];
        for (int y = 1; y < height; y++)
            for (int x = 0; x < width; x++)
                grid[y * width + x] += grid[(y - 1) * width + x];
    }

    /// <summary>4-connected components of the occupied cells; -1 for empty cells.</summary>
    private static int[] Label(int[] grid, int nx, int ny, out int count)
    {
        var labels = new int[nx * ny];
        Array.Fill(labels, -1);
        var stack = new Stack<int>();
        int label = 0;
        for (int start = 0; start < labels.Length; start++)
        {
            if (labels[start] >= 0 || !Occupied(grid, nx, start))
                continue;
            labels[start] = label;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int at = stack.Pop();
                int x = at % nx, y = at / nx;
                Visit(x - 1, y);
                Visit(x + 1, y);
                Visit(x, y - 1);
                Visit(x, y + 1);
            }
            label++;
        }
        count = label;
        return labels;

        void Visit(int x, int y)
        {
            if (x < 0 || y < 0 || x >= nx || y >= ny)
                return;
            int at = y * nx + x;
            if (labels[at] >= 0 || !Occupied(grid, nx, at))
                return;
            labels[at] = label;
            stack.Push(at);
        }
    }

    private static bool Occupied(int[] grid, int nx, int cell) => grid[(cell / nx) * (nx + 1) + cell % nx] > 0;
}
