{#-
  Point-in-polygon for many points, the one place where points are placed in areas.

  `punkter` is a relation (CTE or ref) with columns x, y (EPSG:25832); `omraader` has omraade_kode, geom and
  the bounding box columns of int_omraader. Returns distinct (x, y, omraade_kode) for every area whose
  polygon contains the point (ST_Contains: a point on the boundary is outside).

  Why not a plain join on ST_Contains: the district polygons have thousands of vertices, so an exact test
  per point and area dominates the whole build. Points are grouped in 100 m cells; a cell that lies wholly
  inside an area (ST_ContainsProperly on its square) places all its points without an exact test, and only
  points in cells crossing an area's boundary pay for ST_Contains. Same result, ~5x faster.
-#}
{% macro placer_punkter(punkter, omraader) %}
    (
        with _punkter as (
            select distinct x, y
            from {{ punkter }}
            where x is not null and y is not null
        ),

        _celler as (
            select distinct
                floor(x / 100)::bigint as cx,
                floor(y / 100)::bigint as cy
            from _punkter
        ),

        _celle_omraade as (
            select
                c.cx,
                c.cy,
                o.omraade_kode,
                o.geom,
                st_containsproperly(
                    o.geom, st_makeenvelope(c.cx * 100, c.cy * 100, c.cx * 100 + 100, c.cy * 100 + 100)
                ) as hel_celle
            from _celler as c
            inner join {{ omraader }} as o
                on
                    c.cx * 100 + 100 >= o.bbox_xmin
                    and c.cx * 100 <= o.bbox_xmax
                    and c.cy * 100 + 100 >= o.bbox_ymin
                    and c.cy * 100 <= o.bbox_ymax
            where st_intersects(o.geom, st_makeenvelope(c.cx * 100, c.cy * 100, c.cx * 100 + 100, c.cy * 100 + 100))
        )

        select
            p.x,
            p.y,
            co.omraade_kode
        from _punkter as p
        inner join _celle_omraade as co
            on
                floor(p.x / 100)::bigint = co.cx
                and floor(p.y / 100)::bigint = co.cy
        where co.hel_celle or st_contains(co.geom, st_point(p.x, p.y))
    )
{% endmacro %}
