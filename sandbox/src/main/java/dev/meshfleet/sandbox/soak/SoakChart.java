package dev.meshfleet.sandbox.soak;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** RSS of each service over the soak, one line per service, drawn by JFreeChart into a PNG (goal: flat). */
public final class SoakChart {

    private static final double MIB = 1024.0 * 1024.0;

    private SoakChart() {
    }

    public static void write(RssTimeline timeline, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection lines = new XYSeriesCollection();
        for (Map.Entry<String, List<RssTimeline.Sample>> e : timeline.series().entrySet()) {
            XYSeries series = new XYSeries(e.getKey());
            for (RssTimeline.Sample s : e.getValue()) {
                series.add(s.seconds() / 60.0, s.rssBytes() / MIB);
            }
            lines.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Meshfleet soak: RSS per service over time",
                "minutes since the sandbox was ready", "RSS (MiB)", lines, PlotOrientation.VERTICAL, true, false,
                false);
        chart.getXYPlot().setBackgroundPaint(java.awt.Color.WHITE);
        chart.getXYPlot().setDomainGridlinePaint(java.awt.Color.LIGHT_GRAY);
        chart.getXYPlot().setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1200, 700);
    }
}
